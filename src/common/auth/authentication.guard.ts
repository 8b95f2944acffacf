import { Inject, Injectable, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { isV3Token, looksLikeUuid, parseAcceptSignature } from '@libs/crypto';
import { APP_CONFIG, type AppConfig } from '@app/config/app.config';
import { Clock } from '../clock/clock';
import { scopeFor, type RequestContext } from '../context/request-context';
import {
  ApiError,
  BadRequestError,
  ForbiddenError,
  NULL_BYTE_DETAIL,
  NotFoundError,
  UnauthorizedError,
} from '../errors/api-error';
import type { KeywardRequest } from '../http/http-state';
import { CURRENT_API_VERSION, isSupportedVersion, requestedVersion } from '../versioning/versions';
import type { Bearer } from './bearer';
import { parseCredential } from './credentials';
import { PASSWORD_AUTH_KEY, PUBLIC_KEY, type PublicOptions } from './decorators';
import { effectiveBearerPermissions, effectiveTokenPermissions } from './permissions';
import {
  AccountResolver,
  EnvironmentResolver,
  LicenseKeyAuthenticator,
  PasswordAuthenticator,
  TokenAuthenticator,
} from './ports';

const TOKEN_ABOUT = 'https://keygen.sh/docs/api/authentication/#token-authentication';
const LICENSE_ABOUT = 'https://keygen.sh/docs/api/authentication/#license-authentication';

/**
 * Resolves, in the spec's order: account (404) → Keygen-Accept-Signature (400) →
 * API version (400) → environment (400) → credentials (401/403). Builds the
 * RequestContext every handler receives. Only @Public() routes may end anonymous.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly accounts: AccountResolver,
    private readonly environments: EnvironmentResolver,
    private readonly tokens: TokenAuthenticator,
    @Optional() private readonly passwords?: PasswordAuthenticator,
    @Optional() private readonly licenses?: LicenseKeyAuthenticator,
  ) {}

  async canActivate(ectx: ExecutionContext): Promise<boolean> {
    const req = ectx.switchToHttp().getRequest<KeywardRequest>();
    const targets = [ectx.getHandler(), ectx.getClass()];
    const publicOpts = this.reflector.getAllAndOverride<PublicOptions | undefined>(PUBLIC_KEY, targets);
    const state = req.keyward;
    state.route = (req.route as { path?: string } | undefined)?.path;

    const header = requestedVersion(req.headers['keygen-version']);
    if (header !== null && !isSupportedVersion(header)) {
      throw this.badVersion();
    }

    // A null byte in a path param would only fail later, inside a lookup (spec 00 §2.4.5):
    // the account's before resolution, the others once the response can be signed.
    const nullByteParam = (): boolean =>
      Object.values(req.params ?? {}).some((v) => typeof v === 'string' && v.includes('\u0000'));
    const accountParam = (req.params as Record<string, string | undefined>).account;
    if (accountParam?.includes('\u0000') || (accountParam === undefined && nullByteParam())) {
      throw new BadRequestError(NULL_BYTE_DETAIL, { code: 'ENCODING_INVALID' });
    }
    if (accountParam === undefined) {
      state.apiVersion = header ?? CURRENT_API_VERSION;
      if (!publicOpts?.global) {
        throw new Error(`route ${state.route} has no :account and is not @Public({ global: true })`);
      }
      return true;
    }

    const resolved = await this.accounts.resolve(accountParam);
    if (!resolved) {
      throw NotFoundError.record('account', accountParam);
    }
    if (this.config.mode === 'singleplayer' && this.config.accountId && resolved.account.id !== this.config.accountId) {
      throw new NotFoundError(`account is invalid (expected ${this.config.accountId})`);
    }
    state.account = resolved;
    state.apiVersion = header ?? resolved.account.apiVersion ?? CURRENT_API_VERSION;

    const acceptHeader = req.headers['keygen-accept-signature'] as string | undefined;
    const accept = parseAcceptSignature(acceptHeader);
    if (!accept.ok) {
      // compat: Keygen sends no Date/Digest/Keygen-Signature when the header is unusable.
      state.signatureAlgorithm = null;
      throw new BadRequestError(`invalid accept-signature header (${accept.reason})`);
    }
    state.signatureAlgorithm = accept.algorithm;
    // compat: the grammar is case-insensitive and Keygen echoes the algorithm as spelled.
    state.signatureAlgorithmName = /algorithm="([^"]+)"/i.exec(acceptHeader ?? '')?.[1] ?? accept.algorithm;
    if (accept.keyid !== undefined && accept.keyid !== resolved.account.id) {
      // compat: Keygen still sends Date/Digest but refuses to sign for a foreign keyid.
      state.signatureKeyidMismatch = true;
      throw new BadRequestError('invalid accept-signature header (keyid not found)');
    }

    if (nullByteParam()) {
      throw new BadRequestError(NULL_BYTE_DETAIL, { code: 'ENCODING_INVALID' });
    }

    const envValue = (req.headers['keygen-environment'] as string | undefined) ?? req.query.environment;
    let environment = null;
    if (typeof envValue === 'string' && envValue !== '') {
      environment = await this.environments.resolve(resolved.account.id, envValue);
      if (!environment) {
        throw new BadRequestError('environment is invalid', {
          code: 'ENVIRONMENT_INVALID',
          source: { header: 'Keygen-Environment' },
        });
      }
    } else if (envValue !== undefined && typeof envValue !== 'string') {
      throw new BadRequestError('environment is invalid', {
        code: 'ENVIRONMENT_INVALID',
        source: { header: 'Keygen-Environment' },
      });
    }

    const ctx: RequestContext = {
      requestId: state.requestId,
      clock: this.clock,
      account: resolved,
      environment,
      scope: scopeFor(resolved.account.id, environment),
      bearer: null,
      token: null,
      permissions: null,
      apiVersion: state.apiVersion,
      ip: req.ip ?? '',
      path: state.originalUrl.split('?')[0],
      query: req.query as Record<string, unknown>,
    };
    state.ctx = ctx;

    const allowPassword = this.reflector.getAllAndOverride<boolean | undefined>(PASSWORD_AUTH_KEY, targets) ?? false;
    const parsed = parseCredential(req.headers.authorization, req.query as Record<string, unknown>, allowPassword);
    // compat: a blank license key (`Basic license:`) authenticates nobody, like no credentials.
    const credential =
      parsed.kind === 'license' && parsed.value === '' ? { kind: 'none' as const, scheme: parsed.scheme } : parsed;
    state.authScheme = credential.scheme;

    switch (credential.kind) {
      case 'none':
        if (publicOpts) {
          return true;
        }
        throw new UnauthorizedError('TOKEN_MISSING', undefined, {
          links: { about: 'https://keygen.sh/docs/api/authentication/' },
        });
      case 'invalid':
        throw new UnauthorizedError('TOKEN_INVALID', undefined, { links: { about: TOKEN_ABOUT } });
      case 'password':
        if (!this.passwords) {
          throw new UnauthorizedError('TOKEN_INVALID');
        }
        this.setBearer(ctx, await this.passwords.authenticate(ctx, credential.email, credential.password, (req.body as { meta?: { otp?: unknown } })?.meta?.otp));
        return true;
      case 'license':
        if (publicOpts && !publicOpts.optionalAuth && publicOpts.global) {
          return true;
        }
        if (!this.licenses) {
          throw new UnauthorizedError('LICENSE_INVALID', undefined, { links: { about: LICENSE_ABOUT } });
        }
        this.setBearer(ctx, await this.licenses.authenticate(ctx, credential.value));
        return true;
      case 'token':
        await this.authenticateToken(ctx, credential.value);
        return true;
    }
  }

  private async authenticateToken(ctx: RequestContext, raw: string): Promise<void> {
    if (looksLikeUuid(raw)) {
      throw new UnauthorizedError(
        'TOKEN_FORMAT_INVALID',
        "Token format is invalid (make sure that you're providing a token value, not a token's UUID identifier)",
        { links: { about: TOKEN_ABOUT } },
      );
    }
    const found = isV3Token(raw) ? await this.tokens.findByRaw(ctx.account, ctx.scope, raw) : null;
    if (!found || !found.bearer) {
      throw new UnauthorizedError('TOKEN_INVALID', undefined, { links: { about: TOKEN_ABOUT } });
    }
    const { token, bearer } = found;
    if (token.expiry && token.expiry.getTime() <= ctx.clock.now().getTime()) {
      throw new UnauthorizedError('TOKEN_EXPIRED', 'Token is expired', { links: { about: TOKEN_ABOUT } });
    }
    if (bearer.bannedAt) {
      throw new ForbiddenError('User is banned', 'USER_BANNED');
    }
    if (bearer.type === 'licenses') {
      const strategy = (bearer.record as { authenticationStrategy?: string | null }).authenticationStrategy ?? 'TOKEN';
      if (strategy !== 'TOKEN' && strategy !== 'MIXED') {
        throw new ApiError(403, [
          {
            title: 'Access denied',
            detail: 'Token authentication is not allowed by policy',
            code: 'TOKEN_NOT_ALLOWED',
            links: { about: TOKEN_ABOUT },
          },
        ]);
      }
    }
    ctx.token = token;
    ctx.bearer = bearer;
    ctx.permissions = effectiveTokenPermissions(bearer.role, bearer.permissions, token.permissions);
  }

  private setBearer(ctx: RequestContext, bearer: Bearer): void {
    ctx.bearer = bearer;
    ctx.permissions = effectiveBearerPermissions(bearer.role, bearer.permissions);
  }

  private badVersion(): BadRequestError {
    return new BadRequestError('unsupported API version requested', {
      code: 'INVALID_API_VERSION',
      links: { about: 'https://keygen.sh/docs/api/versioning/' },
    });
  }
}

import { Injectable } from '@nestjs/common';
import { generateToken, tokenDigest } from '@libs/crypto';
import type { Bearer } from '@app/common/auth/bearer';
import type { RequestContext } from '@app/common/context/request-context';
import {
  BadRequestError,
  UnprocessableError,
  type ApiErrorItem,
} from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import { uuidv4 } from '@app/common/ids';
import type { Environment } from '@app/modules/environments/environment.entity';
import { EnvironmentsCache } from '@app/modules/environments/environments.cache';
import type { TokenDraftInput } from './dto/generate-token.dto';
import { Token, type BearerType, type TokenView } from './token.entity';
import {
  ENVIRONMENT_NOT_ALLOWED,
  ENVIRONMENT_NOT_FOUND,
  MAX_ACTIVATIONS_INVALID,
  MAX_DEACTIVATIONS_INVALID,
  NAME_TOO_LONG,
  PERMISSIONS_NOT_ALLOWED,
  PermissionsNotAllowedError,
} from './token.errors';
import {
  bearerEnvironmentId,
  bearerFitsTokenEnvironment,
  defaultExpiry,
  hasUnsupportedPermissions,
  permissionsWithinBearer,
  tokenBytes,
  tokenKind,
  tokenPrefix,
} from './token-rules';
import { TokenSerializer } from './token.serializer';
import { TokensRepository } from './tokens.repository';

const INT4_MAX = 2 ** 31 - 1;

/** A token built from params, not yet authorized or saved. */
export interface TokenDraft {
  token: TokenView;
  bearer: Bearer | null;
  /** Whether `relationships.environment` named the environment explicitly. */
  explicitEnvironment: boolean;
}

/**
 * Builds, validates and saves new tokens for every generate route, in Keygen's
 * order: params are assigned first (unknown permissions fail here, before the
 * policy), the caller authorizes the draft, then model validation and the insert.
 */
@Injectable()
export class TokenIssuer {
  constructor(
    private readonly repo: TokensRepository,
    private readonly environments: EnvironmentsCache,
    private readonly events: DomainEvents,
  ) {}

  /**
   * `defaultEnvironmentId` overrides the usual default (the current environment, else
   * the bearer's) — environment tokens default to their own environment.
   */
  draft(
    ctx: RequestContext,
    bearer: Bearer | null,
    ref: { type: BearerType; id: string },
    input: TokenDraftInput,
    defaultEnvironmentId?: string | null,
  ): TokenDraft {
    if (input.permissions !== undefined && hasUnsupportedPermissions(input.permissions)) {
      throw new PermissionsNotAllowedError();
    }
    const now = ctx.clock.now();
    let environmentId: string | null;
    if (input.environment !== undefined) {
      environmentId = input.environment?.id ?? null;
    } else if (defaultEnvironmentId !== undefined) {
      environmentId = defaultEnvironmentId;
    } else {
      environmentId = ctx.environment?.id ?? (bearer ? bearerEnvironmentId(bearer) : null);
    }
    const token = Object.assign(new Token(), {
      id: uuidv4(),
      accountId: ctx.account.account.id,
      environmentId,
      bearerType: ref.type,
      bearerId: ref.id,
      digest: '',
      kind: tokenKind(bearer),
      name: input.name ?? null,
      expiry: input.expiry !== undefined ? input.expiry : defaultExpiry(bearer?.role ?? null, now),
      permissions: input.permissions ?? ['*'],
      maxActivations: input.maxActivations ?? null,
      maxDeactivations: input.maxDeactivations ?? null,
      activations: 0,
      deactivations: 0,
      createdAt: now,
      updatedAt: now,
      bearer,
    });
    return { token, bearer, explicitEnvironment: input.environment !== undefined };
  }

  /** Validates (422), mints the raw value, saves, emits `token.generated`. */
  async persist(ctx: RequestContext, draft: TokenDraft): Promise<TokenView> {
    const { token, bearer } = draft;
    const errors = await this.validate(ctx, draft);
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }
    // compat: past validation, a counter limit beyond the column's range fails the insert (400).
    for (const n of [token.maxActivations, token.maxDeactivations]) {
      if (n !== null && n > INT4_MAX) {
        throw new BadRequestError('integer is too large');
      }
    }
    const raw = generateToken(tokenPrefix(bearer), tokenBytes(bearer));
    token.digest = tokenDigest(ctx.account.secretKey, raw);
    await this.repo.insert(ctx.scope, token);
    this.events.emit('token.generated', ctx, {
      type: 'tokens',
      id: token.id,
      record: withoutRaw(token),
      serializer: TokenSerializer as never,
    });
    token.raw = raw;
    return token;
  }

  private async validate(
    ctx: RequestContext,
    { token, bearer, explicitEnvironment }: TokenDraft,
  ): Promise<ApiErrorItem[]> {
    const errors: ApiErrorItem[] = [];
    if (token.environmentId !== null && bearer) {
      const environment = await this.environmentOf(ctx, token.environmentId);
      if (!environment && explicitEnvironment) {
        errors.push(ENVIRONMENT_NOT_FOUND);
      } else if (
        !bearerFitsTokenEnvironment(
          {
            environmentId: token.environmentId,
            isolationStrategy: environment?.isolationStrategy ?? null,
          },
          bearer,
        )
      ) {
        errors.push(ENVIRONMENT_NOT_ALLOWED);
      }
    } else if (token.environmentId === null && bearer && bearerEnvironmentId(bearer) !== null) {
      errors.push(ENVIRONMENT_NOT_ALLOWED);
    }
    if (bearer && !permissionsWithinBearer(token.permissions, bearer)) {
      errors.push(PERMISSIONS_NOT_ALLOWED);
    }
    if (token.bearerType === 'licenses') {
      if (token.maxActivations !== null && token.maxActivations < 0) {
        errors.push(MAX_ACTIVATIONS_INVALID);
      }
      if (token.maxDeactivations !== null && token.maxDeactivations < 0) {
        errors.push(MAX_DEACTIVATIONS_INVALID);
      }
    }
    if (token.name !== null && [...token.name].length > 255) {
      errors.push(NAME_TOO_LONG);
    }
    return errors;
  }

  private async environmentOf(ctx: RequestContext, id: string): Promise<Environment | null> {
    if (ctx.environment?.id === id) {
      return ctx.environment;
    }
    return this.environments.resolve(ctx.account.account.id, id);
  }
}

/** The record events carry: never the raw value (spec 01 §6.2). */
export function withoutRaw(token: TokenView): TokenView {
  const copy: TokenView = Object.assign(new Token(), token);
  delete copy.raw;
  return copy;
}

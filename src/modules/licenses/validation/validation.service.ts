import { Injectable } from '@nestjs/common';
import { timestamp } from '@libs/jsonapi';
import { addDuration, legacyKeyLicenseId, verifyLegacyKey } from '@libs/licensing';
import { enforce } from '@app/common/auth/policy';
import { NotFoundError } from '@app/common/errors/api-error';
import type { RequestContext } from '@app/common/context/request-context';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import { rendered, type Rendered } from '@app/common/http/render';
import type { Policy } from '@app/modules/policies/policy.entity';
import { callerOf } from '@app/modules/tokens/token.policy';
import type { License } from '../license.entity';
import { inLicenseAccess, licenseFacts, licensePolicy } from '../license.policy';
import { LicenseSerializer } from '../license.serializer';
import { effectiveLimits, type LicenseView } from '../license.view';
import { toView } from '../licenses.repository';
import {
  scopeFingerprints,
  validateLicense,
  type ValidationOutcome,
  type ValidationScope,
} from './license-validation';
import { ValidationFactsLoader, type ValidationSubject } from './validation-facts';
import type { ValidateByIdBody, ValidateKeyBody } from './validation.params';
import { ValidationPolicyCache } from './validation-policy.cache';
import { ValidationReadRepository, type ValidationRead } from './validation-read.repository';
import { ValidationTouchWriter } from './validation-touch';

/** How the request asked: POST validations emit events and echo nonce/scope. */
interface Request {
  /** null = quick validation (GET): scope checks skipped. */
  scope: ValidationScope | null;
  post: boolean;
  nonce?: number;
  /** The scope as sent, echoed when present (even `{}`). */
  echoScope?: ValidationScope;
}

export const VALIDATION_SUCCEEDED = 'license.validation.succeeded';
export const VALIDATION_FAILED = 'license.validation.failed';

/**
 * License validation (spec 02 §6): loads the license and the facts its scope needs,
 * runs the pure algorithm, renders `meta`, touches lastValidated off the request
 * path, applies FROM_FIRST_VALIDATION and emits the validation events (POST only).
 */
@Injectable()
export class LicenseValidationService {
  constructor(
    private readonly reads: ValidationReadRepository,
    private readonly policies: ValidationPolicyCache,
    private readonly facts: ValidationFactsLoader,
    private readonly touches: ValidationTouchWriter,
    private readonly events: DomainEvents,
  ) {}

  /** GET /licenses/{id}/actions/validate: no scope, no events. */
  async quickValidate(ctx: RequestContext, id: string): Promise<Rendered<LicenseView>> {
    const subject = await this.authorizedRead(ctx, id, []);
    return this.validate(ctx, subject, { scope: null, post: false });
  }

  /** POST /licenses/{id}/actions/validate: 404 → 403 → 400, then validation. */
  async validateById(
    ctx: RequestContext,
    id: string,
    params: ParamsThunk<ValidateByIdBody>,
  ): Promise<Rendered<LicenseView>> {
    // The body is validated once, here; its scope's fingerprints join the single read.
    // An invalid body is rejected (400) only after the lookup (404) and the rule (403).
    let meta: ValidateByIdBody['meta'] = {};
    let invalid: unknown = null;
    try {
      meta = params().meta ?? {};
    } catch (e) {
      invalid = e;
    }
    const fingerprints = meta.scope ? (scopeFingerprints(meta.scope) ?? []) : [];
    const subject = await this.authorizedRead(ctx, id, fingerprints);
    if (invalid !== null) {
      throw invalid;
    }
    return this.validate(ctx, subject, {
      scope: meta.scope ?? {},
      post: true,
      nonce: meta.nonce,
      echoScope: meta.scope,
    });
  }

  /**
   * `{id|key}` in one prepared read, as LicenseLookup would find it: outside the
   * bearer's access 404 (`The requested license '<id>' was not found`), then the
   * validate rule (403).
   */
  private async authorizedRead(
    ctx: RequestContext,
    id: string,
    fingerprints: readonly string[],
  ): Promise<ValidationSubject> {
    const caller = callerOf(ctx);
    const b = caller.bearer;
    const read = await this.reads.findByAlias(ctx.scope, id, fingerprints);
    const licensee =
      read !== null && b.role === 'user' && read.license.ownerId !== b.id
        ? await this.reads.isLicensee(ctx.scope, read.license.id, b.id)
        : false;
    const policy =
      read && inLicenseAccess(licensePolicy.scope(b), read.license, licensee)
        ? await this.policies.get(ctx.scope.accountId, read.license.policyId)
        : null;
    if (!read || !policy) {
      throw NotFoundError.record('license', id);
    }
    enforce(licensePolicy.validate(caller, licenseFacts(read.license, policy, licensee)));
    return subjectOfRead(read, policy);
  }

  /**
   * POST /licenses/actions/validate-key: anyone. An unknown key is 200 NOT_FOUND; an
   * authenticated bearer must pass the validate rule on a license that exists (403).
   */
  async validateKey(ctx: RequestContext, body: ValidateKeyBody): Promise<Rendered<LicenseView>> {
    const { key, scope, nonce } = body.meta;
    const legacy = body.meta.legacy_encrypted === true || body.meta.encrypted === true;
    const fingerprints = scope ? (scopeFingerprints(scope) ?? []) : [];
    const read = legacy
      ? await this.findLegacy(ctx, key, fingerprints)
      : await this.reads.findByKey(ctx.scope, key, fingerprints);
    const policy = read
      ? await this.policies.get(ctx.scope.accountId, read.license.policyId)
      : null;
    const request: Request = { scope: scope ?? {}, post: true, nonce, echoScope: scope };
    if (!read || !policy) {
      return this.notFound(ctx, request);
    }
    if (ctx.bearer) {
      const caller = callerOf(ctx);
      const licensee =
        caller.bearer.role === 'user' && read.license.ownerId !== caller.bearer.id
          ? await this.reads.isLicensee(ctx.scope, read.license.id, caller.bearer.id)
          : false;
      enforce(licensePolicy.validate(caller, licenseFacts(read.license, policy, licensee)));
    }
    return this.validate(ctx, subjectOfRead(read, policy), request);
  }

  /**
   * Legacy encrypted keys (spec 02 §5.2): the first 32 hex chars name the license,
   * whose stored digest must match. Any other key sent with the flag is not found.
   */
  private async findLegacy(ctx: RequestContext, key: string, fingerprints: string[]) {
    const id = legacyKeyLicenseId(key);
    const read = id ? await this.reads.findById(ctx.scope, id, fingerprints) : null;
    if (!read?.license.keyDigest || !(await verifyLegacyKey(key, read.license.keyDigest))) {
      return null;
    }
    return read;
  }

  private notFound(ctx: RequestContext, request: Request): Rendered<LicenseView> {
    const outcome = validateLicense({
      license: null,
      policy: null,
      scope: request.scope,
      facts: {},
      now: ctx.clock.now(),
    });
    return rendered<LicenseView>(null, { meta: this.meta(ctx.clock.now(), outcome, request) });
  }

  private async validate(
    ctx: RequestContext,
    s: ValidationSubject,
    request: Request,
  ): Promise<Rendered<LicenseView>> {
    const now = ctx.clock.now();
    const l = s.license;
    const facts = await this.facts.load(ctx, s, request.scope);
    const limits = effectiveLimits(l, s.policy);
    const outcome = validateLicense({
      license: {
        id: l.id,
        environmentId: l.environmentId,
        environmentCode:
          l.environmentId !== null && ctx.environment?.id === l.environmentId
            ? ctx.environment.code
            : null,
        productId: l.productId,
        policyId: l.policyId,
        ownerId: l.ownerId,
        ownerBanned: !!s.owner?.bannedAt,
        suspended: l.suspended,
        expiry: l.expiry,
        lastCheckInAt: l.lastCheckInAt,
        limits,
        usersCount: s.usersCount,
        machines: s.machineStats,
      },
      policy: s.policy,
      scope: request.scope,
      facts,
      now,
    });

    // The response shows the touch at once; the write is batched (spec 02 §6.2).
    const t = outcome.touches;
    const touched: License = Object.assign(
      Object.create(Object.getPrototypeOf(l) as object) as License,
      l,
    );
    if (t) {
      touched.lastValidatedAt = t.lastValidatedAt;
      if (t.lastValidatedChecksum !== undefined) {
        touched.lastValidatedChecksum = t.lastValidatedChecksum;
      }
      if (t.lastValidatedVersion !== undefined) {
        touched.lastValidatedVersion = t.lastValidatedVersion;
      }
      this.touches.record(l.id, t);
    }
    if (request.post) {
      await this.expireFromFirstValidation(ctx, touched, s.policy, now);
    }
    const view = toView(touched, s.policy, s.owner, now, {
      usersCount: s.usersCount,
      machineStats: s.machineStats,
    });
    const meta = this.meta(now, outcome, request);
    if (request.post) {
      this.events.emit(
        outcome.valid ? VALIDATION_SUCCEEDED : VALIDATION_FAILED,
        ctx,
        { type: 'licenses', id: l.id, record: view, serializer: LicenseSerializer as never },
        { meta },
      );
    }
    return rendered(view, { meta });
  }

  /** `meta`: ts, valid, detail, code, then nonce and scope when sent (spec 02 §6.2). */
  private meta(now: Date, o: ValidationOutcome, request: Request): Record<string, unknown> {
    const meta: Record<string, unknown> = {
      ts: timestamp(now),
      valid: o.valid,
      detail: o.detail,
      code: o.code,
    };
    if (request.nonce !== undefined) {
      meta.nonce = request.nonce;
    }
    if (request.echoScope !== undefined) {
      meta.scope = request.echoScope;
    }
    return meta;
  }

  /**
   * FROM_FIRST_VALIDATION (spec 02 §4.5): on a POST validation of a license without
   * an expiry, expiry ← now + duration, at most once (the UPDATE requires a null expiry).
   * compat: Keygen sets it on `.failed` as well as `.succeeded`, after the response;
   * doing it here means the triggering response already shows the expiry.
   */
  private async expireFromFirstValidation(
    ctx: RequestContext,
    l: License,
    p: Policy,
    now: Date,
  ): Promise<void> {
    if (p.expirationBasis !== 'FROM_FIRST_VALIDATION' || p.duration === null || l.expiry !== null) {
      return;
    }
    const expiry = addDuration(now, p.duration);
    if (await this.reads.initialiseExpiry(ctx.scope, l.id, expiry, now)) {
      l.expiry = expiry;
      l.updatedAt = now;
    }
  }
}

/** The validation subject from the single read (license, owner, counts, named machines). */
function subjectOfRead(read: ValidationRead, policy: Policy): ValidationSubject {
  return {
    license: read.license,
    policy,
    owner: read.owner,
    usersCount: read.licensees + (read.license.ownerId ? 1 : 0),
    machineStats: read.machineStats,
    fingerprintMachines: read.fingerprintMachines,
  };
}


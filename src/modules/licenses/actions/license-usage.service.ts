import { Injectable } from '@nestjs/common';
import { addDuration } from '@libs/licensing';
import type { RequestContext } from '@app/common/context/request-context';
import { TransactionRunner } from '@app/common/database/transaction';
import { DomainEvents } from '@app/common/events/domain-events';
import { NotFoundError } from '@app/common/errors/api-error';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { Policy } from '@app/modules/policies/policy.entity';
import type { License } from '../license.entity';
import { LicenseLookup } from '../license-lookup.service';
import { licensePolicy } from '../license.policy';
import { MAX_INT4 } from '../license.rules';
import { effectiveLimits, type LicenseView } from '../license.view';
import { LicensesRepository } from '../licenses.repository';
import type { DecrementUsageBody, IncrementUsageBody } from './dto/usage.params';
import {
  UsageConflictError,
  UsesInvalidError,
  UsesLimitExceededError,
  UsesTooLargeError,
} from './license-action.errors';
import { LicenseActionsRepository } from './license-actions.repository';
import { withChanges } from './license-changes';
import { LICENSE_EVENTS, emitLicenseEvent } from './license-events';

/**
 * Usage actions (spec 02 §8). Increment and decrement change `uses` under a
 * `FOR UPDATE NOWAIT` row lock, so concurrent changes get 409 rather than a lost
 * update; the model rules (maxUses, non-negative, column range) run on the locked row.
 */
@Injectable()
export class LicenseUsageService {
  constructor(
    private readonly lookup: LicenseLookup,
    private readonly licenses: LicensesRepository,
    private readonly locks: LicenseActionsRepository,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  async increment(
    ctx: RequestContext,
    id: string,
    params: ParamsThunk<IncrementUsageBody>,
  ): Promise<LicenseView> {
    const { view } = await this.lookup.authorize(ctx, id, licensePolicy.incrementUsage);
    const by = params().meta?.increment ?? 1;
    const next = await this.change(ctx, view, by, '/meta/increment', true);
    emitLicenseEvent(this.events, LICENSE_EVENTS.usageIncremented, ctx, next);
    return next;
  }

  async decrement(
    ctx: RequestContext,
    id: string,
    params: ParamsThunk<DecrementUsageBody>,
  ): Promise<LicenseView> {
    const { view } = await this.lookup.authorize(ctx, id, licensePolicy.decrementUsage);
    const by = params().meta?.decrement ?? 1;
    const next = await this.change(ctx, view, -by, '/meta/decrement', false);
    emitLicenseEvent(this.events, LICENSE_EVENTS.usageDecremented, ctx, next);
    return next;
  }

  /** uses = 0; Keygen takes no lock here and the rules cannot fail. */
  async reset(ctx: RequestContext, id: string): Promise<LicenseView> {
    const { view } = await this.lookup.authorize(ctx, id, licensePolicy.resetUsage);
    const now = ctx.clock.now();
    const patch: Partial<License> = { uses: 0, updatedAt: now };
    await this.licenses.update(ctx.scope, view.id, patch);
    const next = withChanges(view, patch, now);
    emitLicenseEvent(this.events, LICENSE_EVENTS.usageReset, ctx, next);
    return next;
  }

  /**
   * Adds `delta` to the locked row's uses. An increment also starts a FROM_FIRST_USE
   * expiry (§4.5); holding the row lock makes that happen at most once, and only
   * while the expiry is still null.
   */
  private async change(
    ctx: RequestContext,
    view: LicenseView,
    delta: number,
    pointer: '/meta/increment' | '/meta/decrement',
    increment: boolean,
  ): Promise<LicenseView> {
    const now = ctx.clock.now();
    const { row, patch, policy } = await this.tx.run(async (m) => {
      const locked = await this.locks.tryLock(m, ctx.scope, view.id);
      if (locked === 'busy') {
        throw new UsageConflictError();
      }
      if (locked === null) {
        throw NotFoundError.record('license', view.id);
      }
      // The policy may have changed since the lookup; the rules use the current one.
      const current: Policy =
        locked.policyId === view.policyId
          ? view.policy
          : (await this.licenses.view(locked, now, m)).policy;
      const uses = locked.uses + delta;
      assertUses(uses, effectiveLimits(locked, current).maxUses, pointer);
      const changes: Partial<License> = { uses, updatedAt: now };
      if (
        increment &&
        locked.expiry === null &&
        current.expirationBasis === 'FROM_FIRST_USE' &&
        current.duration !== null
      ) {
        changes.expiry = addDuration(now, current.duration);
      }
      await this.licenses.update(ctx.scope, locked.id, changes, m);
      return { row: locked, patch: changes, policy: current };
    });
    const base = row.policyId === view.policyId ? view : { ...view, policy };
    return withChanges(base, { ...row, ...patch }, now);
  }
}

/**
 * Keygen's model order: the maxUses rule and `uses >= 0` are validations (422); the
 * column range is checked when the row is written, after them (400).
 */
function assertUses(
  uses: number,
  maxUses: number | null,
  pointer: '/meta/increment' | '/meta/decrement',
): void {
  if (maxUses !== null && uses > maxUses) {
    throw new UsesLimitExceededError(maxUses);
  }
  if (uses < 0) {
    throw new UsesInvalidError();
  }
  if (uses > MAX_INT4) {
    throw new UsesTooLargeError(pointer);
  }
}

import { Injectable } from '@nestjs/common';
import { addDuration } from '@libs/licensing';
import type { RequestContext } from '@app/common/context/request-context';
import { TransactionRunner } from '@app/common/database/transaction';
import { DomainEvents } from '@app/common/events/domain-events';
import type { License } from '../license.entity';
import { LicenseLookup } from '../license-lookup.service';
import { licensePolicy } from '../license.policy';
import { isExpired, type LicenseView } from '../license.view';
import { LicensesRepository } from '../licenses.repository';
import {
  CheckInNotRequiredError,
  LicenseAlreadySuspendedError,
  LicenseNotSuspendedError,
  RenewWithoutDurationError,
  RenewWithoutExpiryError,
} from './license-action.errors';
import { withChanges } from './license-changes';
import { LICENSE_EVENTS, emitLicenseEvent, type LicenseEventName } from './license-events';

/**
 * Permit actions (spec 02 §7): suspend, reinstate, renew, revoke and check-in. Each
 * finds the license in the caller's scope (404), applies the route's rule (403), then
 * the action's own checks (422), writes and emits.
 */
@Injectable()
export class LicensePermitsService {
  constructor(
    private readonly lookup: LicenseLookup,
    private readonly licenses: LicensesRepository,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  async suspend(ctx: RequestContext, id: string): Promise<LicenseView> {
    const { view } = await this.lookup.authorize(ctx, id, licensePolicy.suspend);
    if (view.suspended) {
      throw new LicenseAlreadySuspendedError();
    }
    return this.apply(ctx, view, { suspended: true }, LICENSE_EVENTS.suspended);
  }

  async reinstate(ctx: RequestContext, id: string): Promise<LicenseView> {
    const { view } = await this.lookup.authorize(ctx, id, licensePolicy.reinstate);
    if (!view.suspended) {
      throw new LicenseNotSuspendedError();
    }
    return this.apply(ctx, view, { suspended: false }, LICENSE_EVENTS.reinstated);
  }

  /** §7.2: the new expiry per the policy's renewalBasis, with calendar arithmetic (§0.6). */
  async renew(ctx: RequestContext, id: string): Promise<LicenseView> {
    const { view } = await this.lookup.authorize(ctx, id, licensePolicy.renew);
    const duration = view.policy.duration;
    if (duration === null) {
      throw new RenewWithoutDurationError();
    }
    if (view.expiry === null) {
      throw new RenewWithoutExpiryError();
    }
    const now = ctx.clock.now();
    let from: Date;
    switch (view.policy.renewalBasis) {
      case 'FROM_NOW':
        from = now;
        break;
      case 'FROM_NOW_IF_EXPIRED':
        from = isExpired(view, now) ? now : view.expiry;
        break;
      default:
        // FROM_EXPIRY, and null for policies older than the attribute.
        from = view.expiry;
    }
    return this.apply(ctx, view, { expiry: addDuration(from, duration) }, LICENSE_EVENTS.renewed);
  }

  /** §7.4: deletes the license (and its tokens); 204 and `license.revoked`, not `license.deleted`. */
  async revoke(ctx: RequestContext, id: string): Promise<void> {
    const { view } = await this.lookup.authorize(ctx, id, licensePolicy.revoke);
    await this.tx.run((m) => this.licenses.delete(ctx.scope, view.id, m));
    emitLicenseEvent(this.events, LICENSE_EVENTS.revoked, ctx, view);
  }

  /** §7.1: only on policies that require check-ins; nextCheckIn follows from lastCheckIn. */
  async checkIn(ctx: RequestContext, id: string): Promise<LicenseView> {
    const { view } = await this.lookup.authorize(ctx, id, licensePolicy.checkIn);
    // compat: Keygen tests the policy's flag only, not whether an interval is set.
    if (!view.policy.requireCheckIn) {
      throw new CheckInNotRequiredError();
    }
    return this.apply(ctx, view, { lastCheckInAt: ctx.clock.now() }, LICENSE_EVENTS.checkedIn);
  }

  private async apply(
    ctx: RequestContext,
    view: LicenseView,
    changes: Partial<License>,
    event: LicenseEventName,
  ): Promise<LicenseView> {
    const now = ctx.clock.now();
    const patch: Partial<License> = { ...changes, updatedAt: now };
    await this.licenses.update(ctx.scope, view.id, patch);
    const next = withChanges(view, patch, now);
    emitLicenseEvent(this.events, event, ctx, next);
    return next;
  }
}

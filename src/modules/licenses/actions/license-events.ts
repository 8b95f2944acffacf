import type { DomainEvents } from '@app/common/events/domain-events';
import type { RequestContext } from '@app/common/context/request-context';
import { LicenseSerializer } from '../license.serializer';
import type { LicenseView } from '../license.view';

/** License events emitted by the actions, check-out and the scheduled sweeps (spec 02 §4.11). */
export const LICENSE_EVENTS = {
  suspended: 'license.suspended',
  reinstated: 'license.reinstated',
  renewed: 'license.renewed',
  revoked: 'license.revoked',
  checkedIn: 'license.checked-in',
  checkedOut: 'license.checked-out',
  usageIncremented: 'license.usage.incremented',
  usageDecremented: 'license.usage.decremented',
  usageReset: 'license.usage.reset',
  expired: 'license.expired',
  expiringSoon: 'license.expiring-soon',
  checkInOverdue: 'license.check-in-overdue',
  checkInRequiredSoon: 'license.check-in-required-soon',
} as const;

export type LicenseEventName = (typeof LICENSE_EVENTS)[keyof typeof LICENSE_EVENTS];

/** Publishes a license event with the license rendered as its resource. */
export function emitLicenseEvent(
  events: DomainEvents,
  name: LicenseEventName,
  ctx: RequestContext,
  view: LicenseView,
): void {
  events.emit(name, ctx, {
    type: 'licenses',
    id: view.id,
    record: view,
    serializer: LicenseSerializer as never,
  });
}

import type { DomainEvents } from '@app/common/events/domain-events';
import type { RequestContext } from '@app/common/context/request-context';
import { LicenseSerializer } from './license.serializer';
import type { LicenseView } from './license.view';

export type LicenseCrudEvent = 'license.created' | 'license.updated' | 'license.deleted';

/**
 * Publishes a CRUD event with the license as its resource. The one-time raw key of a
 * legacy encrypted license stays in the create response only, never in event payloads.
 */
export function emitCrudEvent(
  events: DomainEvents,
  name: LicenseCrudEvent,
  ctx: RequestContext,
  view: LicenseView,
  changes?: Record<string, [unknown, unknown]>,
): void {
  const record: LicenseView = view.rawKey === undefined ? view : { ...view, rawKey: undefined };
  events.emit(
    name,
    ctx,
    { type: 'licenses', id: view.id, record, serializer: LicenseSerializer as never },
    changes ? { changes } : {},
  );
}

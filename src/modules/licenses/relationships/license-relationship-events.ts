import type { RequestContext } from '@app/common/context/request-context';
import type { DomainEvents } from '@app/common/events/domain-events';
import type { EnvironmentRef } from '@app/modules/policies/policy-entitlement.rules';
import { LicenseSerializer } from '../license.serializer';
import type { LicenseView } from '../license.view';

export type LicenseRelationshipEvent =
  | 'license.policy.updated'
  | 'license.owner.updated'
  | 'license.user.updated'
  | 'license.group.updated';

/** Publishes a relationship change with the license as its resource. */
export function emitLicenseEvent(
  events: DomainEvents,
  name: LicenseRelationshipEvent,
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

/**
 * The environment a license lives in, as the association rules need it. A license
 * the bearer could address is global or in the current environment.
 */
export function licenseEnvironment(
  ctx: RequestContext,
  license: { environmentId: string | null },
): EnvironmentRef {
  if (license.environmentId === null) {
    return null;
  }
  const env = ctx.environment;
  return env && env.id === license.environmentId
    ? { id: env.id, isolationStrategy: env.isolationStrategy }
    : { id: license.environmentId, isolationStrategy: 'ISOLATED' };
}

/**
 * The environment of a new join row (license-users, license-entitlements): the
 * current one, else the license's (Keygen's `has_environment` defaults).
 */
export function joinRowEnvironment(
  ctx: RequestContext,
  license: { environmentId: string | null },
): EnvironmentRef {
  const env = ctx.environment;
  return env
    ? { id: env.id, isolationStrategy: env.isolationStrategy }
    : licenseEnvironment(ctx, license);
}

import { hasRole, isAdminFamily, type Bearer } from '@app/common/auth/bearer';
import { chain, when, type Decision } from '@app/common/auth/policy';
import { environmentFits, permitted, type Caller } from '@app/modules/tokens/token.policy';

/** `request-log.read` or `event-log.read`. */
export type LogReadPermission = 'request-log.read' | 'event-log.read';

const readers = (b: Bearer): boolean =>
  hasRole(b, 'admin', 'developer', 'read-only', 'environment');

/**
 * Record-level rules for request logs and event logs (Keygen's RequestLogPolicy and
 * EventLogPolicy are the same): permission → environment (non-strict) → role.
 */
export const logPolicy = {
  /**
   * Whether any log is visible to the bearer (Keygen's authorized scope): staff and
   * environments see the logs of the current environment scope; products, users and
   * licenses see none, so a show is a 404 for them.
   */
  visible(bearer: Bearer): boolean {
    return isAdminFamily(bearer) || hasRole(bearer, 'environment');
  },

  index(c: Caller, permission: LogReadPermission): Decision {
    return read(c, permission, c.scope.environmentId);
  },

  show(c: Caller, permission: LogReadPermission, log: { environmentId: string | null }): Decision {
    return read(c, permission, log.environmentId);
  },
};

function read(c: Caller, permission: LogReadPermission, environmentId: string | null): Decision {
  return chain(
    () => permitted(c, permission),
    () => environmentFits(c, environmentId, false),
    () => when(readers(c.bearer)),
  );
}

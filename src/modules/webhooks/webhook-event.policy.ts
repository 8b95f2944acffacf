import { hasRole, isAdminFamily, type Bearer } from '@app/common/auth/bearer';
import { type Decision, chain, when } from '@app/common/auth/policy';
import { environmentFits, permitted, type Caller } from '@app/modules/tokens/token.policy';
import type { WebhookEvent } from './webhook-event.entity';

/**
 * Record-level rules for webhook events (Keygen's WebhookEventPolicy). A product
 * reads the events of endpoints bound to it; only staff delete and retry.
 */

export interface EventFacts extends Pick<WebhookEvent, 'environmentId'> {
  /** The product of the event's endpoint (null without one, or when it is gone). */
  productId: string | null;
}

export type EventAccess =
  { kind: 'all' } | { kind: 'product'; productId: string } | { kind: 'none' };

const READERS = ['admin', 'developer', 'read-only', 'environment'] as const;
const WRITERS = ['admin', 'developer', 'environment'] as const;
const ownProduct = (b: Bearer, e: EventFacts): boolean =>
  hasRole(b, 'product') && e.productId === b.id;

export const webhookEventPolicy = {
  scope(bearer: Bearer): EventAccess {
    if (isAdminFamily(bearer) || hasRole(bearer, 'environment')) {
      return { kind: 'all' };
    }
    return hasRole(bearer, 'product')
      ? { kind: 'product', productId: bearer.id }
      : { kind: 'none' };
  },

  index(c: Caller, rows: readonly EventFacts[]): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'webhook-event.read'),
      () => environmentFits(c, c.scope.environmentId, false),
      () =>
        when(
          hasRole(b, ...READERS) || (hasRole(b, 'product') && rows.every((e) => ownProduct(b, e))),
        ),
    );
  },

  show(c: Caller, e: EventFacts): Decision {
    return chain(
      () => permitted(c, 'webhook-event.read'),
      () => environmentFits(c, e.environmentId, false),
      () => when(hasRole(c.bearer, ...READERS) || ownProduct(c.bearer, e)),
    );
  },

  destroy(c: Caller, e: EventFacts): Decision {
    return write(c, 'webhook-event.delete', e);
  },

  retry(c: Caller, e: EventFacts): Decision {
    return write(c, 'webhook-event.retry', e);
  },
};

function write(c: Caller, permission: string, e: EventFacts): Decision {
  return chain(
    () => permitted(c, permission),
    () => environmentFits(c, e.environmentId, true),
    () => when(hasRole(c.bearer, ...WRITERS)),
  );
}

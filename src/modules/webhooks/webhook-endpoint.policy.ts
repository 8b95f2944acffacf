import { hasRole, isAdminFamily, type Bearer } from '@app/common/auth/bearer';
import { type Decision, chain, when } from '@app/common/auth/policy';
import { environmentFits, permitted, type Caller } from '@app/modules/tokens/token.policy';
import type { WebhookEndpoint } from './webhook-endpoint.entity';

/**
 * Record-level rules for webhook endpoints (Keygen's WebhookEndpointPolicy):
 * permission → environment → role, first denial wins.
 */

export type EndpointFacts = Pick<WebhookEndpoint, 'environmentId' | 'productId'>;

/**
 * Which endpoints a bearer can address. compat: Keygen's read scope is empty for
 * products, users and licenses (spec 05 §1.5), so a product may create endpoints it
 * then cannot list, show, update or delete.
 */
export type EndpointAccess = { kind: 'all' } | { kind: 'none' };

const READERS = ['admin', 'developer', 'read-only', 'environment'] as const;
const WRITERS = ['admin', 'developer', 'environment'] as const;
const ownProduct = (b: Bearer, e: EndpointFacts): boolean =>
  hasRole(b, 'product') && e.productId === b.id;

export const webhookEndpointPolicy = {
  scope(bearer: Bearer): EndpointAccess {
    return isAdminFamily(bearer) || hasRole(bearer, 'environment')
      ? { kind: 'all' }
      : { kind: 'none' };
  },

  index(c: Caller, rows: readonly EndpointFacts[]): Decision {
    const b = c.bearer;
    return chain(
      () => permitted(c, 'webhook-endpoint.read'),
      () => environmentFits(c, c.scope.environmentId, false),
      () =>
        when(
          hasRole(b, ...READERS) || (hasRole(b, 'product') && rows.every((e) => ownProduct(b, e))),
        ),
    );
  },

  show(c: Caller, e: EndpointFacts): Decision {
    return chain(
      () => permitted(c, 'webhook-endpoint.read'),
      () => environmentFits(c, e.environmentId, false),
      () => when(hasRole(c.bearer, ...READERS) || ownProduct(c.bearer, e)),
    );
  },

  create(c: Caller, e: EndpointFacts): Decision {
    return write(c, 'webhook-endpoint.create', e);
  },

  update(c: Caller, e: EndpointFacts): Decision {
    return write(c, 'webhook-endpoint.update', e);
  },

  destroy(c: Caller, e: EndpointFacts): Decision {
    return write(c, 'webhook-endpoint.delete', e);
  },
};

function write(c: Caller, permission: string, e: EndpointFacts): Decision {
  return chain(
    () => permitted(c, permission),
    () => environmentFits(c, e.environmentId, true),
    () => when(hasRole(c.bearer, ...WRITERS) || ownProduct(c.bearer, e)),
  );
}

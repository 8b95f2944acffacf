import { jsonApiEnvelope, linkage, p, type Cond } from '@libs/jsonapi';

const roleIn =
  (...roles: string[]): Cond =>
  (c) =>
    typeof c.role === 'string' && roles.includes(c.role);

/**
 * `POST /licenses/{id}/tokens`: name, expiry, the activation counters' limits, and
 * `permissions` only from admin, developer, product and environment bearers.
 */
export const GenerateLicenseTokenParams = jsonApiEnvelope({
  type: ['token', 'tokens'],
  dataOptional: true,
  attributes: p.object({
    expiry: p.time({ optional: true, nullable: true }),
    name: p.string({ optional: true, nullable: true }),
    max_activations: p.integer({ optional: true }),
    max_deactivations: p.integer({ optional: true }),
    permissions: p.array(p.string(), {
      optional: true,
      if: roleIn('admin', 'developer', 'product', 'environment'),
    }),
  }),
  relationships: p.object({
    environment: linkage(['environment', 'environments'], { optional: true, nullable: true }),
  }),
});

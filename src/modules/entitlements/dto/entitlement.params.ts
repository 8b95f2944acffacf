import { jsonApiEnvelope, linkage, p } from '@libs/jsonapi';

const ENTITLEMENT_TYPES = ['entitlement', 'entitlements'];

/** POST /entitlements (spec 02 §10.2). */
export const CreateEntitlementParams = jsonApiEnvelope({
  type: ENTITLEMENT_TYPES,
  attributes: p.object(
    {
      name: p.string(),
      code: p.string(),
      metadata: p.hash({ optional: true, allowBlank: true, depth: 2 }),
    },
    { optional: false },
  ),
  relationships: p.object({
    environment: linkage(['environment', 'environments'], { optional: true, nullable: true }),
  }),
});

export interface CreateEntitlementBody {
  data: {
    type: string;
    attributes: { name: string; code: string; metadata?: Record<string, unknown> };
    relationships?: { environment?: { data: { type: string; id: string } | null } };
  };
}

/** PATCH /entitlements/{id}: `data.id` is accepted and ignored; `attributes` is required. */
export const UpdateEntitlementParams = jsonApiEnvelope({
  type: ENTITLEMENT_TYPES,
  id: p.string({ optional: true }),
  attributes: p.object(
    {
      name: p.string({ optional: true }),
      code: p.string({ optional: true }),
      metadata: p.hash({ optional: true, allowBlank: true, depth: 2 }),
    },
    { optional: false },
  ),
});

export interface UpdateEntitlementBody {
  data: {
    type: string;
    id?: string;
    attributes: { name?: string; code?: string; metadata?: Record<string, unknown> };
  };
}

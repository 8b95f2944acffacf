import { jsonApiEnvelope, linkage, p } from '@libs/jsonapi';

const KEY_TYPES = ['key', 'keys'];

/** POST /keys (spec 02 §3.2): `attributes.key` and `relationships.policy` are required. */
export const CreateKeyParams = jsonApiEnvelope({
  type: KEY_TYPES,
  attributes: p.object({ key: p.string() }, { optional: false }),
  relationships: p.object(
    {
      policy: linkage(['policy', 'policies']),
      environment: linkage(['environment', 'environments'], { optional: true, nullable: true }),
    },
    { optional: false },
  ),
});

export interface CreateKeyBody {
  data: {
    type: string;
    attributes: { key: string };
    relationships: {
      policy: { data: { type: string; id: string } };
      environment?: { data: { type: string; id: string } | null };
    };
  };
}

/**
 * PATCH /keys/{id}: only `key` may change; `data.id` is accepted and ignored, and
 * `relationships` (a policy change) is an unpermitted parameter (400).
 */
export const UpdateKeyParams = jsonApiEnvelope({
  type: KEY_TYPES,
  id: p.string({ optional: true }),
  attributes: p.object({ key: p.string({ optional: true }) }, { optional: false }),
});

export interface UpdateKeyBody {
  data: { type: string; id?: string; attributes: { key?: string } };
}

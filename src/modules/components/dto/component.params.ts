import { jsonApiEnvelope, linkage, p, type ParamsContext } from '@libs/jsonapi';

const COMPONENT_TYPES = ['component', 'components'];
const MACHINE_TYPES = ['machine', 'machines'];
const ENVIRONMENT_TYPES = ['environment', 'environments'];

/** Who may write a component's metadata on update (spec 03 §2.2). */
const updatesMetadata = (ctx: ParamsContext): boolean =>
  ['admin', 'developer', 'sales-agent', 'support-agent', 'product', 'environment'].includes(
    ctx.role as string,
  );

/** POST /components (§2.2): no `data.id`. */
export const CreateComponentParams = jsonApiEnvelope({
  type: COMPONENT_TYPES,
  attributes: p.object(
    {
      fingerprint: p.string(),
      name: p.string(),
      metadata: p.hash({ optional: true, allowBlank: true }),
    },
    { optional: false },
  ),
  relationships: p.object(
    {
      machine: p.object({
        data: p.object({ type: p.string({ inclusion: MACHINE_TYPES }), id: p.uuid() }),
      }),
      environment: linkage(ENVIRONMENT_TYPES, { optional: true, nullable: true }),
    },
    { optional: false },
  ),
});

export interface CreateComponentBody {
  data: {
    type: string;
    attributes: { fingerprint: string; name: string; metadata?: Record<string, unknown> };
    relationships: {
      machine: { data: { type: string; id: string } };
      environment?: { data: { type: string; id: string } | null };
    };
  };
}

/** PATCH /components/{id}: `data.id` is accepted and ignored; the fingerprint never changes. */
export const UpdateComponentParams = jsonApiEnvelope({
  type: COMPONENT_TYPES,
  id: p.string({ optional: true }),
  attributes: p.object(
    {
      name: p.string({ optional: true }),
      metadata: p.hash({ optional: true, allowBlank: true, if: updatesMetadata }),
    },
    { optional: false },
  ),
});

export interface UpdateComponentBody {
  data: {
    type: string;
    attributes: { name?: string; metadata?: Record<string, unknown> };
  };
}

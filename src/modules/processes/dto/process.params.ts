import { jsonApiEnvelope, linkage, p, type ParamsContext } from '@libs/jsonapi';

const PROCESS_TYPES = ['process', 'processes'];
const MACHINE_TYPES = ['machine', 'machines'];
const ENVIRONMENT_TYPES = ['environment', 'environments'];

/** Who may write a process's metadata on update (spec 03 §3.2). */
const updatesMetadata = (ctx: ParamsContext): boolean =>
  ['admin', 'developer', 'sales-agent', 'support-agent', 'product', 'environment'].includes(
    ctx.role as string,
  );

/** POST /processes (§3.2): an optional pre-set UUID. */
export const SpawnProcessParams = jsonApiEnvelope({
  type: PROCESS_TYPES,
  id: p.uuid({ optional: true }),
  attributes: p.object(
    {
      pid: p.string(),
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

export interface SpawnProcessBody {
  data: {
    type: string;
    id?: string;
    attributes: { pid: string; metadata?: Record<string, unknown> };
    relationships: {
      machine: { data: { type: string; id: string } };
      environment?: { data: { type: string; id: string } | null };
    };
  };
}

/** PATCH /processes/{id}: only metadata, by staff, products and environments; `data.id` ignored. */
export const UpdateProcessParams = jsonApiEnvelope({
  type: PROCESS_TYPES,
  id: p.string({ optional: true }),
  attributes: p.object(
    { metadata: p.hash({ optional: true, allowBlank: true, if: updatesMetadata }) },
    { optional: false },
  ),
});

export interface UpdateProcessBody {
  data: { type: string; attributes: { metadata?: Record<string, unknown> } };
}

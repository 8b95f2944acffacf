import { linkage, p, type ParamsContext } from '@libs/jsonapi';

/**
 * The params components and processes share: their create's relationships (the
 * machine, an optional environment) and who may write metadata on update.
 */

const MACHINE_TYPES = ['machine', 'machines'];
const ENVIRONMENT_TYPES = ['environment', 'environments'];

/** Who may write a component's or process's metadata on update (spec 03 §2.2, §3.2). */
export const updatesChildMetadata = (ctx: ParamsContext): boolean =>
  ['admin', 'developer', 'sales-agent', 'support-agent', 'product', 'environment'].includes(
    ctx.role as string,
  );

/** `data.relationships` of POST /components and /processes. */
export const childRelationships = p.object(
  {
    machine: p.object({
      data: p.object({ type: p.string({ inclusion: MACHINE_TYPES }), id: p.uuid() }),
    }),
    environment: linkage(ENVIRONMENT_TYPES, { optional: true, nullable: true }),
  },
  { optional: false },
);

export interface ChildRelationshipsBody {
  machine: { data: { type: string; id: string } };
  environment?: { data: { type: string; id: string } | null };
}

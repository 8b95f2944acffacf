import type { Pagination } from '@libs/jsonapi';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { NotFoundError, type ApiErrorItem } from '@app/common/errors/api-error';
import type { ListResult } from '@app/common/http/render';
import type { LicenseView } from '@app/modules/licenses/license.view';
import type { LicensesRepository } from '@app/modules/licenses/licenses.repository';
import type { Product } from '@app/modules/products/product.entity';
import { callerOf, type Caller } from '@app/modules/tokens/token.policy';
import {
  childFacts,
  machineAsParent,
  readsRelated,
  type MachineChildFacts,
} from './machine-child.policy';
import type { MachineChildEntity, MachineChildRepository } from './machine-children.repository';
import { machinePolicy } from './machine.policy';
import { environmentCompatible } from './machine.rules';
import type { MachineView } from './machine.view';
import type { MachinesService } from './machines.service';

/**
 * Service steps components and processes share: the lookup every route of theirs
 * uses (UUID inside the bearer's reach → 404, the route's rule → 403 after), what a
 * create decides before its own validations, and the relationship reads.
 */

/** What the shared steps read of a component or process view. */
export type MachineChildView = Omit<MachineChildFacts, 'bearerIsLicensee'> & {
  id: string;
  machineId: string;
  licenseId: string;
  productId: string;
};

/** A component or process found for a route, with what its rules need. */
export interface FoundChild<V> {
  view: V;
  facts: MachineChildFacts;
  caller: Caller;
}

/** The lookups of a components or processes repository. */
type ChildLookups<V, C> = Pick<
  MachineChildRepository<MachineChildEntity, V, C>,
  'find' | 'list' | 'product' | 'license'
>;

/**
 * The component or process `id` in the bearer's reach (with `machineId`, only that
 * machine's), else 404 naming `noun`. Does not authorize.
 */
export async function findChild<V extends MachineChildView>(
  ctx: RequestContext,
  repo: Pick<ChildLookups<V, unknown>, 'find'>,
  noun: string,
  id: string,
  machineId?: string,
): Promise<FoundChild<V>> {
  const caller = callerOf(ctx);
  const { access, licenseeOf } = machinePolicy.reach(caller.bearer);
  const found = await repo.find(ctx.scope, access, id, licenseeOf, machineId);
  if (!found) {
    throw NotFoundError.record(noun, id);
  }
  return { view: found.view, facts: childFacts(found.view, found.bearerIsLicensee), caller };
}

/** The environment of a create: Keygen's given one, else the current one, else the machine's. */
export function childEnvironmentId(
  ctx: RequestContext,
  given: { data: { id: string } | null } | undefined,
  machine: { environmentId: string | null } | null,
): string | null {
  return given !== undefined
    ? (given.data?.id ?? null)
    : (ctx.scope.environmentId ?? machine?.environmentId ?? null);
}

/**
 * A create's first model errors, in Keygen's order: the environment against the
 * machine's, then the machine must exist. `error` builds the resource's
 * relationship error.
 */
export function machineRelationshipErrors(
  ctx: RequestContext,
  environmentId: string | null,
  machine: { environmentId: string | null } | null,
  error: (rel: string, code: string, detail: string) => ApiErrorItem,
): ApiErrorItem[] {
  if (!machine) {
    return [error('machine', 'MACHINE_NOT_FOUND', 'must exist')];
  }
  return environmentCompatible(ctx, environmentId, machine.environmentId)
    ? []
    : [
        error(
          'environment',
          'ENVIRONMENT_NOT_ALLOWED',
          'must be compatible with machine environment',
        ),
      ];
}

/**
 * What a component or process points at (`/{resources}/{id}/product|license|machine`)
 * and a machine's components or processes (`/machines/{id}/{resources}[/{id}]`), spec
 * 03 §1.1, §2.1, §3.1. Each read: the record in reach (404), then the related
 * resource's read permission and environment (403).
 */
export abstract class MachineChildRelationshipsService<V extends MachineChildView, C> {
  protected constructor(
    private readonly repo: ChildLookups<V, C>,
    private readonly machines: MachinesService,
    private readonly licenses: LicensesRepository,
    private readonly resource: 'component' | 'process',
  ) {}

  async product(ctx: RequestContext, id: string): Promise<Product | null> {
    const { view, facts, caller } = await this.find(ctx, id);
    const product = await this.repo.product(ctx.scope.accountId, view.productId);
    enforce(readsRelated(caller, facts, 'product.read', product?.environmentId ?? null));
    return product;
  }

  async license(ctx: RequestContext, id: string): Promise<LicenseView | null> {
    const { view, facts, caller } = await this.find(ctx, id);
    const license = await this.repo.license(ctx.scope.accountId, view.licenseId);
    enforce(readsRelated(caller, facts, 'license.read', license?.environmentId ?? null));
    return license ? this.licenses.view(license, ctx.clock.now()) : null;
  }

  async machine(ctx: RequestContext, id: string): Promise<MachineView> {
    const { view, facts, caller } = await this.find(ctx, id);
    const machine = await this.machines.find(ctx, view.machineId);
    enforce(readsRelated(caller, facts, 'machine.read', machine.view.environmentId));
    return machine.view;
  }

  /** GET /machines/{id}/{resources}/{cid}: `{cid}` must be one of that machine's, else 404. */
  async showForMachine(ctx: RequestContext, machineId: string, id: string): Promise<V> {
    const { view, facts, caller } = await this.machines.find(ctx, machineId);
    const found = await this.repo.find(ctx.scope, { kind: 'all' }, id, null, view.id);
    if (!found) {
      throw NotFoundError.record(this.noun, id);
    }
    enforce(readsRelated(caller, machineAsParent(facts), this.permission, view.environmentId));
    return found.view;
  }

  /**
   * GET /machines/{id}/{resources}: the machine in reach (404), then
   * `<resource>.read` (403), then the page filtered by `clauses()`.
   */
  protected async listForMachine(
    ctx: RequestContext,
    machineId: string,
    clauses: () => readonly C[],
    pagination: Pagination,
  ): Promise<ListResult<V>> {
    const { view, facts, caller } = await this.machines.find(ctx, machineId);
    enforce(readsRelated(caller, machineAsParent(facts), this.permission, view.environmentId));
    return this.repo.list(ctx.scope, { kind: 'all' }, clauses(), pagination, view.id);
  }

  private find(ctx: RequestContext, id: string): Promise<FoundChild<V>> {
    return findChild(ctx, this.repo, this.noun, id);
  }

  private get noun(): string {
    return `machine ${this.resource}`;
  }

  private get permission(): string {
    return `${this.resource}.read`;
  }
}

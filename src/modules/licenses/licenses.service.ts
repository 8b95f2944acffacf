import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import type { SqlPredicate } from '@app/common/database/sql-predicate';
import { TransactionRunner } from '@app/common/database/transaction';
import { NotFoundError, UnprocessableError } from '@app/common/errors/api-error';
import { sameValue } from '@app/common/events/diff';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { ListResult } from '@app/common/http/render';
import { PoliciesService } from '@app/modules/policies/policies.service';
import { ProductsService } from '@app/modules/products/products.service';
import { callerOf } from '@app/modules/tokens/token.policy';
import { permissionsAllowed, permissionsKnown } from '@app/modules/users/user.rules';
import type { CreateLicenseBody, UpdateLicenseBody } from './dto/license.params';
import type { License } from './license.entity';
import { LicenseCreateService } from './license-create.service';
import { emitCrudEvent } from './license-crud-events';
import { parseLicenseFilters, type LicenseFilterName } from './license-filters';
import { LicenseLookup } from './license-lookup.service';
import { licensePolicy } from './license.policy';
import { LicenseRecordsRepository, type LicenseParent } from './license-records.repository';
import { licenseError, licenseErrors, NO_FACTS } from './license.rules';
import type { LicenseView } from './license.view';
import { LicensesRepository, toView } from './licenses.repository';

/** Filters of `/products/{id}/licenses` and `/policies/{id}/licenses` (Keygen's has_scope). */
const PRODUCT_LICENSE_FILTERS: readonly LicenseFilterName[] = ['policy', 'user', 'suspended'];
const POLICY_LICENSE_FILTERS: readonly LicenseFilterName[] = ['product', 'user', 'suspended'];

/**
 * Entity attribute → the name Keygen's diff uses for it (its column), for the
 * `license.updated` changes. Limits are stored as `*_override` columns there.
 */
const DIFF_NAMES: Partial<Record<keyof License, string>> = {
  maxMachines: 'maxMachinesOverride',
  maxProcesses: 'maxProcessesOverride',
  maxUsers: 'maxUsersOverride',
  maxCores: 'maxCoresOverride',
  maxMemory: 'maxMemoryOverride',
  maxDisk: 'maxDiskOverride',
  maxUses: 'maxUsesOverride',
};

/** License CRUD (spec 02 §4.1, §4.6, §4.7) and the product/policy license lists. */
@Injectable()
export class LicensesService {
  constructor(
    private readonly repo: LicensesRepository,
    private readonly records: LicenseRecordsRepository,
    private readonly lookup: LicenseLookup,
    private readonly creator: LicenseCreateService,
    private readonly products: ProductsService,
    private readonly policies: PoliciesService,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  /** Scoped to what the bearer can address; licenses themselves may not list (403). */
  async index(
    ctx: RequestContext,
    query: Record<string, unknown>,
    pagination: Pagination,
    search?: SqlPredicate,
  ): Promise<ListResult<LicenseView>> {
    enforce(licensePolicy.index(callerOf(ctx)));
    const filters = parseLicenseFilters(query, ctx.clock.now());
    const page = await this.records.list(
      ctx.scope,
      this.lookup.access(ctx),
      filters,
      pagination,
      undefined,
      search,
    );
    return this.withViews(ctx, page);
  }

  async show(ctx: RequestContext, idOrKey: string): Promise<LicenseView> {
    return (await this.lookup.authorize(ctx, idOrKey, licensePolicy.show)).view;
  }

  create(ctx: RequestContext, body: CreateLicenseBody): Promise<LicenseView> {
    return this.creator.create(ctx, body);
  }

  /** Lookup (404) → authorize (403) → params (400) → validate (422) → save. */
  async update(
    ctx: RequestContext,
    idOrKey: string,
    params: ParamsThunk<UpdateLicenseBody>,
  ): Promise<LicenseView> {
    const { view } = await this.lookup.authorize(ctx, idOrKey, licensePolicy.update);
    const attrs = params().data.attributes;
    if (attrs.permissions !== undefined && !permissionsKnown(attrs.permissions)) {
      throw new UnprocessableError(
        licenseError(
          'attributes/permissions',
          'PERMISSIONS_NOT_ALLOWED',
          'unsupported permissions',
        ),
      );
    }
    const patch: Partial<License> = {};
    const set = <K extends keyof License>(key: K, value: License[K] | undefined): void => {
      if (value !== undefined && !sameValue(view[key], value)) {
        patch[key] = value;
      }
    };
    set('name', attrs.name);
    set('expiry', attrs.expiry);
    set('protected', attrs.protected);
    set('suspended', attrs.suspended);
    set('maxMachines', attrs.max_machines);
    set('maxCores', attrs.max_cores);
    set('maxMemory', attrs.max_memory);
    set('maxDisk', attrs.max_disk);
    set('maxUses', attrs.max_uses);
    set('maxProcesses', attrs.max_processes);
    set('maxUsers', attrs.max_users);
    set('metadata', attrs.metadata);
    set('permissions', attrs.permissions);

    const next: License = { ...view, ...patch };
    const errors = licenseErrors(next, {
      ...NO_FACTS,
      policy: view.policy,
      permissionsNotAllowed:
        patch.permissions !== undefined && !permissionsAllowed('license', patch.permissions ?? []),
    });
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }
    // Like Keygen, an update that changes nothing leaves `updated` alone.
    if (Object.keys(patch).length === 0) {
      emitCrudEvent(this.events, 'license.updated', ctx, view, {});
      return view;
    }
    const now = ctx.clock.now();
    patch.updatedAt = now;
    await this.repo.update(ctx.scope, view.id, patch);
    const updated = this.rebuild(view, patch, now);
    emitCrudEvent(this.events, 'license.updated', ctx, updated, diffOf(view, patch));
    return updated;
  }

  /** 204; machines, licensees and license tokens go with it. */
  async destroy(ctx: RequestContext, idOrKey: string): Promise<void> {
    const { view } = await this.lookup.authorize(ctx, idOrKey, licensePolicy.destroy);
    await this.tx.run((m) => this.repo.delete(ctx.scope, view.id, m));
    emitCrudEvent(this.events, 'license.deleted', ctx, view);
  }

  /** GET /products/{id|code}/licenses: staff and the product itself. */
  async productLicenses(
    ctx: RequestContext,
    productIdOrCode: string,
    query: Record<string, unknown>,
    pagination: Pagination,
  ): Promise<ListResult<LicenseView>> {
    const product = await this.products.findAddressable(ctx, productIdOrCode);
    enforce(licensePolicy.readNested(callerOf(ctx), product.id, ctx.scope.environmentId));
    return this.nestedList(
      ctx,
      { productId: product.id },
      PRODUCT_LICENSE_FILTERS,
      query,
      pagination,
    );
  }

  async productLicense(
    ctx: RequestContext,
    productIdOrCode: string,
    idOrKey: string,
  ): Promise<LicenseView> {
    const product = await this.products.findAddressable(ctx, productIdOrCode);
    return this.nestedShow(ctx, { productId: product.id }, product.id, idOrKey);
  }

  /** GET /policies/{id}/licenses: staff and the policy's product. */
  async policyLicenses(
    ctx: RequestContext,
    policyId: string,
    query: Record<string, unknown>,
    pagination: Pagination,
  ): Promise<ListResult<LicenseView>> {
    const policy = await this.policies.findAddressable(ctx, policyId);
    enforce(licensePolicy.readNested(callerOf(ctx), policy.productId, ctx.scope.environmentId));
    return this.nestedList(ctx, { policyId: policy.id }, POLICY_LICENSE_FILTERS, query, pagination);
  }

  async policyLicense(
    ctx: RequestContext,
    policyId: string,
    idOrKey: string,
  ): Promise<LicenseView> {
    const policy = await this.policies.findAddressable(ctx, policyId);
    return this.nestedShow(ctx, { policyId: policy.id }, policy.productId, idOrKey);
  }

  private async nestedList(
    ctx: RequestContext,
    parent: LicenseParent,
    allowed: readonly LicenseFilterName[],
    query: Record<string, unknown>,
    pagination: Pagination,
  ): Promise<ListResult<LicenseView>> {
    const filters = parseLicenseFilters(query, ctx.clock.now(), allowed);
    const page = await this.records.list(
      ctx.scope,
      this.lookup.access(ctx),
      filters,
      pagination,
      parent,
    );
    return this.withViews(ctx, page);
  }

  /** compat: looked up among the parent's licenses in any environment, then authorized. */
  private async nestedShow(
    ctx: RequestContext,
    parent: LicenseParent,
    productId: string,
    idOrKey: string,
  ): Promise<LicenseView> {
    const row = await this.records.findInParent(ctx.scope, parent, idOrKey);
    if (!row) {
      throw NotFoundError.record('license', idOrKey);
    }
    enforce(licensePolicy.readNested(callerOf(ctx), productId, row.environmentId));
    return this.repo.view(row, ctx.clock.now());
  }

  private async withViews(
    ctx: RequestContext,
    page: ListResult<License>,
  ): Promise<ListResult<LicenseView>> {
    return { ...page, rows: await this.repo.views(page.rows, ctx.clock.now()) };
  }

  /** The view after `patch`: same policy, owner and counts, status recomputed. */
  private rebuild(view: LicenseView, patch: Partial<License>, now: Date): LicenseView {
    const row: License = Object.assign(
      Object.create(Object.getPrototypeOf(view) as object) as License,
      view,
      patch,
    );
    return toView(row, view.policy, view.owner, now, {
      usersCount: view.usersCount,
      machineStats: view.machineStats,
    });
  }
}

/** `{attr: [before, after]}` for the event log diff, under Keygen's column names. */
function diffOf(before: LicenseView, patch: Partial<License>): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const key of Object.keys(patch) as Array<keyof License>) {
    out[DIFF_NAMES[key] ?? key] = [before[key], patch[key]];
  }
  return out;
}

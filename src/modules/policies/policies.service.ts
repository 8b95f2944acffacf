import { enforce } from '@app/common/auth/policy';
import { Injectable, Optional } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import type { RequestContext } from '@app/common/context/request-context';
import type { SqlPredicate } from '@app/common/database/sql-predicate';
import { LicenseHoldings } from '@app/common/licensing/holdings';
import { BadRequestError, NotFoundError, UnprocessableError } from '@app/common/errors/api-error';
import { diffOf } from '@app/common/events/diff';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid, uuidv4 } from '@app/common/ids';
import type { Product } from '@app/modules/products/product.entity';
import { ProductsService } from '@app/modules/products/products.service';
import { callerOf } from '@app/modules/tokens/token.policy';
import type {
  CreatePolicyBody,
  PolicyAttributesInput,
  UpdatePolicyBody,
} from './dto/policy.params';
import { environmentCompatible } from './policy-entitlement.rules';
import { Policy, blankPolicy } from './policy.entity';
import { policyPolicy, type PolicyAccess } from './policy.policy';
import {
  beforeCreate,
  beforeValidationOnCreate,
  exceedsIntegerColumns,
  policyErrors,
} from './policy.rules';
import { PolicySerializer } from './policy.serializer';
import { PoliciesRepository, type PolicyListFilters } from './policies.repository';

export type PolicyEvent = 'policy.created' | 'policy.updated' | 'policy.deleted';

/** Maps validated (snake_case) params onto the record, in the order Keygen assigns them. */
export function assignAttributes(policy: Policy, a: PolicyAttributesInput): void {
  const set = <K extends keyof Policy>(key: K, value: Policy[K] | undefined): void => {
    if (value !== undefined) {
      policy[key] = value;
    }
  };
  set('scheme', a.scheme);
  set('encrypted', a.encrypted);
  set('usePool', a.use_pool);
  set('name', a.name);
  set('duration', a.duration);
  set('strict', a.strict);
  set('floating', a.floating);
  set('protected', a.protected);
  if (a.concurrent !== undefined) {
    // compat: API 1.0/1.1 `concurrent` maps onto the overage strategy.
    policy.overageStrategy = a.concurrent ? 'ALWAYS_ALLOW_OVERAGE' : 'NO_OVERAGE';
  }
  set('maxMachines', a.max_machines);
  set('maxProcesses', a.max_processes);
  set('maxUsers', a.max_users);
  set('maxCores', a.max_cores);
  set('maxMemory', a.max_memory);
  set('maxDisk', a.max_disk);
  set('maxUses', a.max_uses);
  set('machineUniquenessStrategy', a.machine_uniqueness_strategy);
  set('machineMatchingStrategy', a.machine_matching_strategy);
  set('componentUniquenessStrategy', a.component_uniqueness_strategy);
  set('componentMatchingStrategy', a.component_matching_strategy);
  set('expirationStrategy', a.expiration_strategy);
  set('expirationBasis', a.expiration_basis);
  set('renewalBasis', a.renewal_basis);
  set('transferStrategy', a.transfer_strategy);
  set('authenticationStrategy', a.authentication_strategy);
  set('processLeasingStrategy', a.process_leasing_strategy);
  set('machineLeasingStrategy', a.machine_leasing_strategy);
  set('overageStrategy', a.overage_strategy);
  set('requireProductScope', a.require_product_scope);
  set('requirePolicyScope', a.require_policy_scope);
  set('requireMachineScope', a.require_machine_scope);
  set('requireFingerprintScope', a.require_fingerprint_scope);
  set('requireComponentsScope', a.require_components_scope);
  set('requireUserScope', a.require_user_scope);
  set('requireChecksumScope', a.require_checksum_scope);
  set('requireVersionScope', a.require_version_scope);
  set('requireCheckIn', a.require_check_in);
  set('checkInInterval', a.check_in_interval);
  set('checkInIntervalCount', a.check_in_interval_count);
  set('heartbeatDuration', a.heartbeat_duration);
  set('heartbeatCullStrategy', a.heartbeat_cull_strategy);
  set('heartbeatResurrectionStrategy', a.heartbeat_resurrection_strategy);
  set('heartbeatBasis', a.heartbeat_basis);
  set('requireHeartbeat', a.require_heartbeat);
  set('metadata', a.metadata);
}

/** Policies CRUD (spec 02 §2) and the policy lookups its relationship routes share. */
@Injectable()
export class PoliciesService {
  constructor(
    private readonly repo: PoliciesRepository,
    private readonly products: ProductsService,
    private readonly events: DomainEvents,
    @Optional() private readonly holdings?: LicenseHoldings,
  ) {}

  /** compat: scoped, then authorized as a whole (403, not an empty list). */
  async index(
    ctx: RequestContext,
    query: Record<string, unknown>,
    pagination: Pagination,
    search?: SqlPredicate,
  ): Promise<ListResult<Policy>> {
    const caller = callerOf(ctx);
    const held = await this.heldPolicyIds(ctx);
    const page = await this.repo.list(
      ctx.scope,
      this.access(ctx, held),
      listFilters(query),
      pagination,
      search,
    );
    enforce(policyPolicy.index(caller, page.rows, held));
    return page;
  }

  async show(ctx: RequestContext, id: string): Promise<Policy> {
    const caller = callerOf(ctx);
    const held = await this.heldPolicyIds(ctx);
    const policy = await this.load(ctx, this.access(ctx, held), id);
    enforce(policyPolicy.show(caller, policy, held));
    return policy;
  }

  /** Params (400) → authorize (403) → validate (422) → defaults → save. */
  async create(ctx: RequestContext, body: CreatePolicyBody): Promise<Policy> {
    const caller = callerOf(ctx);
    const { attributes, relationships } = body.data;
    const productId = relationships.product.data.id;
    const product = await this.products.findByIdInAccount(ctx, productId);
    const env = relationships.environment;
    const now = ctx.clock.now();
    const policy = Object.assign(blankPolicy(), {
      id: uuidv4(),
      accountId: ctx.scope.accountId,
      // Keygen: the explicit environment, else the current one, else the product's.
      environmentId: env
        ? (env.data?.id ?? null)
        : (ctx.scope.environmentId ?? product?.environmentId ?? null),
      productId,
      createdAt: now,
      updatedAt: now,
    });
    assignAttributes(policy, attributes);
    enforce(policyPolicy.create(caller, policy));

    beforeValidationOnCreate(policy);
    const errors = policyErrors(policy, {
      productMissing: product === null,
      environmentIncompatible: product !== null && !this.fitsProduct(ctx, policy, product),
    });
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }
    assertIntegerColumns(policy);
    if (attributes.protected === undefined) {
      policy.protected = ctx.account.account.protected;
    }
    beforeCreate(policy, {
      apiVersion: ctx.apiVersion,
      accountProtected: ctx.account.account.protected,
    });
    await this.repo.insert(ctx.scope, policy);
    this.emit('policy.created', ctx, policy);
    return policy;
  }

  /** Lookup (404) → authorize (403) → params (400) → validate the whole record (422). */
  async update(
    ctx: RequestContext,
    id: string,
    params: ParamsThunk<UpdatePolicyBody>,
  ): Promise<Policy> {
    const caller = callerOf(ctx);
    const policy = await this.load(ctx, this.access(ctx, await this.heldPolicyIds(ctx)), id);
    enforce(policyPolicy.update(caller, policy));
    const attributes = params().data.attributes;
    const next = Object.assign(new Policy(), policy);
    assignAttributes(next, attributes);
    const errors = policyErrors(next, { productMissing: false, environmentIncompatible: false });
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }
    assertIntegerColumns(next);
    const patch = changes(policy, next);
    // Like Keygen, an update that changes nothing leaves `updated` alone.
    if (Object.keys(patch).length > 0) {
      next.updatedAt = ctx.clock.now();
      patch.updatedAt = next.updatedAt;
      await this.repo.update(ctx.scope, policy.id, patch);
    }
    this.emit('policy.updated', ctx, next, diffOf(policy, next));
    return next;
  }

  async destroy(ctx: RequestContext, id: string): Promise<void> {
    const caller = callerOf(ctx);
    const policy = await this.load(ctx, this.access(ctx, await this.heldPolicyIds(ctx)), id);
    enforce(policyPolicy.destroy(caller, policy));
    await this.repo.manager.transaction((m) => this.repo.delete(ctx.scope, policy.id, m));
    this.emit('policy.deleted', ctx, policy);
  }

  /** The policy a nested route addresses (UUID only) within the caller's scope, else 404. */
  async findAddressable(ctx: RequestContext, id: string): Promise<Policy> {
    return this.load(ctx, this.access(ctx, await this.heldPolicyIds(ctx)), id);
  }

  /** A relationship target by id anywhere in the account (any environment), or null. */
  findByIdInAccount(ctx: RequestContext, id: string): Promise<Policy | null> {
    return isUuidLike(id)
      ? this.repo.findByIdInAccount(ctx.scope, normalizeUuid(id))
      : Promise.resolve(null);
  }

  /** The policies of a product visible to the caller (for `/products/{id}/policies`). */
  async listOfProduct(
    ctx: RequestContext,
    product: Product,
    pagination: Pagination,
  ): Promise<ListResult<Policy>> {
    return this.repo.list(
      ctx.scope,
      this.access(ctx, await this.heldPolicyIds(ctx)),
      { productId: product.id },
      pagination,
    );
  }

  /** One of a product's policies in any environment (UUID only), else 404. */
  async findOfProduct(ctx: RequestContext, product: Product, id: string): Promise<Policy> {
    const policy = isUuidLike(id)
      ? await this.repo.findOfProduct(ctx.scope, product.id, normalizeUuid(id))
      : null;
    if (!policy) {
      throw NotFoundError.record('policy', id);
    }
    return policy;
  }

  private fitsProduct(ctx: RequestContext, policy: Policy, product: Product): boolean {
    // NOTE: the policy can only be in the current environment here (the create rule is strict).
    const env =
      policy.environmentId === null
        ? null
        : {
            id: policy.environmentId,
            isolationStrategy: ctx.environment?.isolationStrategy ?? 'ISOLATED',
          };
    return environmentCompatible(env, product.environmentId);
  }

  private access(ctx: RequestContext, held: readonly string[]): PolicyAccess {
    return policyPolicy.scope(callerOf(ctx).bearer, held);
  }

  /**
   * Policies the caller holds through licenses (user: of owned/attached licenses;
   * license: its own), from the licenses module when it is loaded.
   */
  private async heldPolicyIds(ctx: RequestContext): Promise<string[]> {
    return this.holdings ? this.holdings.policyIds(ctx.scope, ctx.bearer) : [];
  }

  /** Policies are addressed by UUID only (spec 00 §1.2); anything else is a 404. */
  private async load(ctx: RequestContext, access: PolicyAccess, id: string): Promise<Policy> {
    const policy = isUuidLike(id)
      ? await this.repo.findVisible(ctx.scope, access, normalizeUuid(id))
      : null;
    if (!policy) {
      throw NotFoundError.record('policy', id);
    }
    return policy;
  }

  private emit(
    name: PolicyEvent,
    ctx: RequestContext,
    policy: Policy,
    changes?: Record<string, [unknown, unknown]>,
  ): void {
    this.events.emit(
      name,
      ctx,
      {
        type: 'policies',
        id: policy.id,
        record: policy,
        serializer: PolicySerializer as never,
      },
      changes ? { changes } : {},
    );
  }
}

/** compat: an integer column Keygen does not range-check overflows on save (400). */
function assertIntegerColumns(policy: Policy): void {
  if (exceedsIntegerColumns(policy)) {
    throw new BadRequestError('integer is too large');
  }
}

/** `product={uuid}`: a non-UUID value matches nothing, a blank one is ignored (has_scope). */
function listFilters(query: Record<string, unknown>): PolicyListFilters {
  const product = query.product;
  if (typeof product !== 'string' || product === '') {
    return {};
  }
  return { productId: isUuidLike(product) ? normalizeUuid(product) : null };
}

/** The columns that differ between two versions of a policy. */
function changes(before: Policy, after: Policy): Partial<Policy> {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(after) as Array<keyof Policy>) {
    const a = after[key];
    const b = before[key];
    const same = key === 'metadata' ? JSON.stringify(a) === JSON.stringify(b) : a === b;
    if (!same) {
      patch[key] = a;
    }
  }
  return patch as Partial<Policy>;
}

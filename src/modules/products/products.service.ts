import { enforce } from '@app/common/auth/policy';
import { Injectable, Optional } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import type { RequestContext } from '@app/common/context/request-context';
import type { SqlPredicate } from '@app/common/database/sql-predicate';
import { LicenseHoldings } from '@app/common/licensing/holdings';
import { TransactionRunner } from '@app/common/database/transaction';
import { NotFoundError, UnprocessableError } from '@app/common/errors/api-error';
import { diffOf } from '@app/common/events/diff';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { ListResult } from '@app/common/http/render';
import { uuidv4 } from '@app/common/ids';
import { callerOf } from '@app/modules/tokens/token.policy';
import type { CreateProductBody, UpdateProductBody } from './dto/product.params';
import { Product } from './product.entity';
import { productPermissionsNotAllowed } from './product.errors';
import { productPolicy, type ProductAccess } from './product.policy';
import { permissionsKnown, productErrors } from './product.rules';
import { ProductSerializer } from './product.serializer';
import { ProductsRepository } from './products.repository';

export type ProductEvent = 'product.created' | 'product.updated' | 'product.deleted';

/** Products CRUD (spec 02 §1) and the product lookups nested routes share. */
@Injectable()
export class ProductsService {
  constructor(
    private readonly repo: ProductsRepository,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
    @Optional() private readonly holdings?: LicenseHoldings,
  ) {}

  /** compat: Keygen scopes the list, then authorizes it as a whole (403, not an empty list). */
  async index(
    ctx: RequestContext,
    pagination: Pagination,
    search?: SqlPredicate,
  ): Promise<ListResult<Product>> {
    const caller = callerOf(ctx);
    const held = await this.heldProductIds(ctx);
    const page = await this.repo.list(ctx.scope, this.access(ctx, held), pagination, search);
    enforce(productPolicy.index(caller, page.rows, held));
    return page;
  }

  async show(ctx: RequestContext, idOrCode: string): Promise<Product> {
    const caller = callerOf(ctx);
    const held = await this.heldProductIds(ctx);
    const product = await this.load(ctx, this.access(ctx, held), idOrCode);
    enforce(productPolicy.show(caller, product, held));
    return product;
  }

  /** Params (400) → unknown permissions (422) → authorize (403) → validate (422) → save. */
  async create(ctx: RequestContext, body: CreateProductBody): Promise<Product> {
    const caller = callerOf(ctx);
    const attrs = body.data.attributes;
    const env = body.data.relationships?.environment;
    if (attrs.permissions !== undefined && !permissionsKnown(attrs.permissions)) {
      throw new UnprocessableError(productPermissionsNotAllowed());
    }
    const now = ctx.clock.now();
    const product = Object.assign(new Product(), {
      id: uuidv4(),
      accountId: ctx.scope.accountId,
      environmentId: env ? (env.data?.id ?? null) : ctx.scope.environmentId,
      name: attrs.name,
      code: attrs.code ?? null,
      distributionStrategy: attrs.distribution_strategy ?? null,
      url: attrs.url ?? null,
      platforms: attrs.platforms ?? null,
      permissions: attrs.permissions ? [...attrs.permissions] : [...DEFAULT_PERMISSIONS.product],
      metadata: attrs.metadata ?? {},
      createdAt: now,
      updatedAt: now,
    });
    enforce(productPolicy.create(caller, product));

    const codeTaken =
      product.code !== null && (await this.repo.codeTakenInAccount(ctx.scope, product.code));
    const errors = productErrors(product, { codeTaken });
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }
    // Keygen's before_create: an unset strategy is stored as LICENSED.
    product.distributionStrategy ??= 'LICENSED';
    await this.repo.insert(ctx.scope, product);
    this.emit('product.created', ctx, product);
    return product;
  }

  /** Lookup (404) → authorize (403) → params (400) → unknown permissions / validate (422). */
  async update(
    ctx: RequestContext,
    idOrCode: string,
    params: ParamsThunk<UpdateProductBody>,
  ): Promise<Product> {
    const caller = callerOf(ctx);
    const product = await this.load(
      ctx,
      this.access(ctx, await this.heldProductIds(ctx)),
      idOrCode,
    );
    enforce(productPolicy.update(caller, product));
    const attrs = params().data.attributes;
    if (attrs.permissions !== undefined && !permissionsKnown(attrs.permissions)) {
      throw new UnprocessableError(productPermissionsNotAllowed());
    }

    const next = Object.assign(new Product(), product);
    if (attrs.name !== undefined) {
      next.name = attrs.name;
    }
    if (attrs.code !== undefined) {
      next.code = attrs.code;
    }
    if (attrs.distribution_strategy !== undefined) {
      next.distributionStrategy = attrs.distribution_strategy;
    }
    if (attrs.url !== undefined) {
      next.url = attrs.url;
    }
    if (attrs.platforms !== undefined) {
      next.platforms = attrs.platforms;
    }
    if (attrs.metadata !== undefined) {
      next.metadata = attrs.metadata;
    }
    if (attrs.permissions !== undefined) {
      next.permissions = [...attrs.permissions];
    }

    // Like Rails' uniqueness validator, every save re-checks the code against the others.
    const codeTaken =
      next.code !== null && (await this.repo.codeTakenInAccount(ctx.scope, next.code, product.id));
    const errors = productErrors(next, { codeTaken });
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }

    const patch = changes(product, next);
    // Like Keygen, an update that changes nothing leaves `updated` alone.
    if (Object.keys(patch).length > 0) {
      next.updatedAt = ctx.clock.now();
      patch.updatedAt = next.updatedAt;
      await this.repo.update(ctx.scope, product.id, patch);
    }
    this.emit('product.updated', ctx, next, diffOf(product, next));
    return next;
  }

  /** Removes the product, its tokens and its policies (licenses/releases: their modules). */
  async destroy(ctx: RequestContext, idOrCode: string): Promise<void> {
    const caller = callerOf(ctx);
    const product = await this.load(
      ctx,
      this.access(ctx, await this.heldProductIds(ctx)),
      idOrCode,
    );
    enforce(productPolicy.destroy(caller, product));
    await this.tx.run((m) => this.repo.delete(ctx.scope, product.id, m));
    this.emit('product.deleted', ctx, product);
  }

  /**
   * The product a nested route (`/products/{id|code}/...`) addresses, within the
   * caller's scope; out of scope or unknown → 404. No policy check.
   */
  async findAddressable(ctx: RequestContext, idOrCode: string): Promise<Product> {
    return this.load(ctx, this.access(ctx, await this.heldProductIds(ctx)), idOrCode);
  }

  /** A relationship target by id anywhere in the account (any environment), or null. */
  findByIdInAccount(ctx: RequestContext, id: string): Promise<Product | null> {
    return this.repo.findByIdInAccount(ctx.scope, id);
  }

  private access(ctx: RequestContext, held: readonly string[]): ProductAccess {
    return productPolicy.scope(callerOf(ctx).bearer, held);
  }

  /**
   * Products the caller holds through licenses (user: owned or attached licenses;
   * license: its own), from the licenses module when it is loaded.
   */
  private async heldProductIds(ctx: RequestContext): Promise<string[]> {
    return this.holdings ? this.holdings.productIds(ctx.scope, ctx.bearer) : [];
  }

  private async load(
    ctx: RequestContext,
    access: ProductAccess,
    idOrCode: string,
  ): Promise<Product> {
    const product =
      idOrCode === '' ? null : await this.repo.findByAlias(ctx.scope, access, idOrCode);
    if (!product) {
      throw NotFoundError.record('product', idOrCode);
    }
    return product;
  }

  private emit(
    name: ProductEvent,
    ctx: RequestContext,
    product: Product,
    changes?: Record<string, [unknown, unknown]>,
  ): void {
    this.events.emit(
      name,
      ctx,
      {
        type: 'products',
        id: product.id,
        record: product,
        serializer: ProductSerializer as never,
      },
      changes ? { changes } : {},
    );
  }
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The columns that differ between two versions of a product. */
function changes(before: Product, after: Product): Partial<Product> {
  const patch: Partial<Product> = {};
  for (const key of ['name', 'code', 'distributionStrategy', 'url'] as const) {
    if (after[key] !== before[key]) {
      Object.assign(patch, { [key]: after[key] });
    }
  }
  if (!sameJson(after.platforms, before.platforms)) {
    patch.platforms = after.platforms;
  }
  if (!sameJson(after.metadata, before.metadata)) {
    patch.metadata = after.metadata;
  }
  if (!sameJson(after.permissions, before.permissions)) {
    patch.permissions = after.permissions;
  }
  return patch;
}

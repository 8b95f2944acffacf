import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { NotFoundError } from '@app/common/errors/api-error';
import type { ListResult } from '@app/common/http/render';
import type { Product } from '@app/modules/products/product.entity';
import { callerOf } from '@app/modules/tokens/token.policy';
import type { User } from '@app/modules/users/user.entity';
import { findUserInScope } from '@app/modules/users/user-lookup';
import { UsersRepository } from '@app/modules/users/users.repository';
import { parseLicenseFilters, type LicenseFilterName } from '../license-filters';
import { LicenseLookup } from '../license-lookup.service';
import { LicenseRecordsRepository } from '../license-records.repository';
import type { LicenseView } from '../license.view';
import { LicensesRepository } from '../licenses.repository';
import { LicenseHoldersRepository, type HeldProductAccess } from './license-holders.repository';
import { nestedReadsPolicy } from './nested-reads.policy';

/** Filters of `/users/{id}/licenses` (Keygen's has_scope there). */
const USER_LICENSE_FILTERS: readonly LicenseFilterName[] = ['product', 'policy', 'suspended'];

/**
 * `/users/{id|email}/licenses[/{id|key}]` and `/users/{id|email}/products[/{id}]`
 * (spec 01 §5.1): the licenses a user owns or is attached to, and their products.
 * The user is looked up in the caller's scope (404) first; `{id|email}` is exact.
 */
@Injectable()
export class UserLicensesService {
  constructor(
    private readonly users: UsersRepository,
    private readonly records: LicenseRecordsRepository,
    private readonly licenses: LicensesRepository,
    private readonly lookup: LicenseLookup,
    private readonly holders: LicenseHoldersRepository,
  ) {}

  async licensesIndex(
    ctx: RequestContext,
    userIdOrEmail: string,
    query: Record<string, unknown>,
    pagination: Pagination,
  ): Promise<ListResult<LicenseView>> {
    const user = await this.parent(ctx, userIdOrEmail);
    enforce(nestedReadsPolicy.userLicenses(callerOf(ctx), user, null, ctx.scope.environmentId));
    const filters = parseLicenseFilters(query, ctx.clock.now(), USER_LICENSE_FILTERS);
    const page = await this.records.list(ctx.scope, this.lookup.access(ctx), filters, pagination, {
      userId: user.id,
    });
    return { ...page, rows: await this.licenses.views(page.rows, ctx.clock.now()) };
  }

  /** compat: looked up among all the user's licenses (any environment), then authorized. */
  async licensesShow(
    ctx: RequestContext,
    userIdOrEmail: string,
    idOrKey: string,
  ): Promise<LicenseView> {
    const user = await this.parent(ctx, userIdOrEmail);
    const row = await this.records.findInParent(ctx.scope, { userId: user.id }, idOrKey);
    if (!row) {
      throw NotFoundError.record('license', idOrKey);
    }
    enforce(nestedReadsPolicy.userLicenses(callerOf(ctx), user, row, row.environmentId));
    return this.licenses.view(row, ctx.clock.now());
  }

  async productsIndex(
    ctx: RequestContext,
    userIdOrEmail: string,
    pagination: Pagination,
  ): Promise<ListResult<Product>> {
    const user = await this.parent(ctx, userIdOrEmail);
    const caller = callerOf(ctx);
    enforce(nestedReadsPolicy.userProducts(caller, user, null, ctx.scope.environmentId));
    // A product sees only itself among the user's products (ProductPolicy's scope).
    const access: HeldProductAccess =
      caller.bearer.role === 'product' ? { kind: 'self', id: caller.bearer.id } : { kind: 'all' };
    return this.holders.listUserProducts(ctx.scope, access, user.id, pagination);
  }

  /** By id only (no code alias), among the user's products in any environment. */
  async productsShow(ctx: RequestContext, userIdOrEmail: string, id: string): Promise<Product> {
    const user = await this.parent(ctx, userIdOrEmail);
    const product = await this.holders.findUserProduct(ctx.scope, user.id, id);
    if (!product) {
      throw NotFoundError.record('product', id);
    }
    enforce(nestedReadsPolicy.userProducts(callerOf(ctx), user, product.id, product.environmentId));
    return product;
  }

  private parent(ctx: RequestContext, userIdOrEmail: string): Promise<User> {
    return findUserInScope(this.users, ctx, userIdOrEmail);
  }
}

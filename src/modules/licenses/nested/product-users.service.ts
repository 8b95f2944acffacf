import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { enforce } from '@app/common/auth/policy';
import { parseUserRole, type UserRole } from '@app/common/auth/roles';
import type { RequestContext } from '@app/common/context/request-context';
import { NotFoundError } from '@app/common/errors/api-error';
import type { ListResult } from '@app/common/http/render';
import { ProductsService } from '@app/modules/products/products.service';
import { callerOf } from '@app/modules/tokens/token.policy';
import type { User } from '@app/modules/users/user.entity';
import { userScope } from '@app/modules/users/user.policy';
import { UsersRepository } from '@app/modules/users/users.repository';
import { LicenseHoldersRepository } from './license-holders.repository';
import { nestedReadsPolicy } from './nested-reads.policy';

/**
 * `/products/{id|code}/users[/{id|email}]` (spec 02 §1.1): the distinct owners and
 * licensees of the product's licenses. The product is looked up in the caller's scope
 * (404) first.
 */
@Injectable()
export class ProductUsersService {
  constructor(
    private readonly products: ProductsService,
    private readonly users: UsersRepository,
    private readonly holders: LicenseHoldersRepository,
  ) {}

  /** Filter `roles[]`, default `[user]` (staff are left out unless asked for). */
  async index(
    ctx: RequestContext,
    productIdOrCode: string,
    query: Record<string, unknown>,
    pagination: Pagination,
  ): Promise<ListResult<User>> {
    const product = await this.products.findAddressable(ctx, productIdOrCode);
    enforce(nestedReadsPolicy.productUsers(callerOf(ctx), product.id, ctx.scope.environmentId));
    return this.users.list(
      ctx.scope,
      userScope(ctx.bearer),
      { roles: requestedRoles(query.roles), now: ctx.clock.now(), productId: product.id },
      pagination,
    );
  }

  /**
   * compat: looked up among every holder of the product's licenses (any environment,
   * any role; the e-mail exactly as given), then authorized.
   */
  async show(ctx: RequestContext, productIdOrCode: string, idOrEmail: string): Promise<User> {
    const product = await this.products.findAddressable(ctx, productIdOrCode);
    const user = await this.holders.findProductUser(ctx.scope, product.id, idOrEmail);
    if (!user) {
      throw NotFoundError.record('user', idOrEmail);
    }
    enforce(nestedReadsPolicy.productUsers(callerOf(ctx), product.id, user.environmentId));
    await this.users.markLicenseActivity([user], ctx.clock.now());
    return user;
  }
}

/** `roles[]` as the `/users` list reads it: unknown names are dropped, absent means `[user]`. */
function requestedRoles(raw: unknown): UserRole[] {
  const requested = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : ['user'];
  return requested
    .map((r) => (typeof r === 'string' ? parseUserRole(r) : null))
    .filter((r): r is UserRole => r !== null);
}

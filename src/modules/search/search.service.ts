import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { enforce, when } from '@app/common/auth/policy';
import { ADMIN_FAMILY } from '@app/common/auth/roles';
import type { RequestContext } from '@app/common/context/request-context';
import { ParamError } from '@app/common/errors/api-error';
import type { ListResult } from '@app/common/http/render';
import { USER_ROLES } from '@app/common/auth/roles';
import { EntitlementSerializer } from '@app/modules/entitlements/entitlement.serializer';
import { EntitlementsService } from '@app/modules/entitlements/entitlements.service';
import { GroupSerializer } from '@app/modules/groups/group.serializer';
import { GroupsService } from '@app/modules/groups/groups.service';
import { LicenseSerializer } from '@app/modules/licenses/license.serializer';
import { LicensesService } from '@app/modules/licenses/licenses.service';
import { RequestLogListSerializer } from '@app/modules/logs/request-log.serializer';
import { RequestLogsService } from '@app/modules/logs/request-logs.service';
import { MachineSerializer } from '@app/modules/machines/machine.serializer';
import { MachinesService } from '@app/modules/machines/machines.service';
import { PoliciesService } from '@app/modules/policies/policies.service';
import { PolicySerializer } from '@app/modules/policies/policy.serializer';
import { ProductSerializer } from '@app/modules/products/product.serializer';
import { ProductsService } from '@app/modules/products/products.service';
import { callerOf } from '@app/modules/tokens/token.policy';
import { UserSerializer } from '@app/modules/users/user.serializer';
import { UsersService } from '@app/modules/users/users.service';
import { parseSearchBody, parseSearchTerms, type Parsed } from './search-query';
import { searchPredicate } from './search.repository';

function orThrow<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) {
    throw new ParamError(parsed.problem.detail, { pointer: parsed.problem.pointer });
  }
  return parsed.value;
}

/**
 * `POST /search` (spec 00 §5.6). Keygen's order: body (400) → type (400) → who may
 * search (403) → terms (400) → the type's own list, which scopes to the bearer and may
 * still refuse it (403), narrowed by the terms and paginated like the list.
 */
@Injectable()
export class SearchService {
  constructor(
    private readonly entitlements: EntitlementsService,
    private readonly products: ProductsService,
    private readonly policies: PoliciesService,
    private readonly licenses: LicensesService,
    private readonly machines: MachinesService,
    private readonly users: UsersService,
    private readonly groups: GroupsService,
    private readonly requestLogs: RequestLogsService,
  ) {}

  async search(
    ctx: RequestContext,
    body: unknown,
    pagination: Pagination,
  ): Promise<ListResult<unknown>> {
    const { type, op, query } = orThrow(parseSearchBody(body));
    const caller = callerOf(ctx);
    enforce(when(ADMIN_FAMILY.has(caller.bearer.role)));
    const clauses = orThrow(parseSearchTerms(type, query));
    const where = searchPredicate(type, op, clauses);
    switch (type) {
      case 'entitlements':
        return {
          ...(await this.entitlements.index(ctx, pagination, where)),
          serializer: EntitlementSerializer,
        };
      case 'products':
        return {
          ...(await this.products.index(ctx, pagination, where)),
          serializer: ProductSerializer,
        };
      case 'policies':
        return {
          ...(await this.policies.index(ctx, {}, pagination, where)),
          serializer: PolicySerializer,
        };
      case 'licenses':
        return {
          ...(await this.licenses.index(ctx, {}, pagination, where)),
          serializer: LicenseSerializer,
        };
      case 'machines':
        return {
          ...(await this.machines.index(ctx, {}, pagination, undefined, where)),
          serializer: MachineSerializer,
        };
      case 'users':
        // compat: unlike GET /users (role `user` by default), search covers every role.
        return {
          ...(await this.users.index(ctx, { roles: [...USER_ROLES] }, pagination, where)),
          serializer: UserSerializer,
        };
      case 'groups':
        return {
          ...(await this.groups.index(ctx, pagination, where)),
          serializer: GroupSerializer,
        };
      case 'request-logs':
        return {
          ...(await this.requestLogs.index(ctx, pagination, {}, where)),
          serializer: RequestLogListSerializer,
        };
      case 'releases':
        // NOTE: releases are not implemented yet, so there is nothing to find; the type
        // is valid (spec 00 §5.6), so the answer is an empty page rather than a 400.
        return { kind: 'list', rows: [], pagination, count: 0, serializer: ProductSerializer };
    }
  }
}

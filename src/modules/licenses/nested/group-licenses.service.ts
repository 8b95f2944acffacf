import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { NotFoundError } from '@app/common/errors/api-error';
import type { ListResult } from '@app/common/http/render';
import { GroupsService } from '@app/modules/groups/groups.service';
import { callerOf } from '@app/modules/tokens/token.policy';
import { LicenseRecordsRepository } from '../license-records.repository';
import type { LicenseView } from '../license.view';
import { LicensesRepository } from '../licenses.repository';
import { nestedReadsPolicy } from './nested-reads.policy';

/**
 * `/groups/{id}/licenses[/{id|key}]` (spec 01 §8.1): the group is looked up within the
 * caller's reach (members and owners reach it; others 404), but only owners read its
 * licenses (§8.3 rule 7). No list filters, like Keygen.
 */
@Injectable()
export class GroupLicensesService {
  constructor(
    private readonly groups: GroupsService,
    private readonly records: LicenseRecordsRepository,
    private readonly licenses: LicensesRepository,
  ) {}

  async index(
    ctx: RequestContext,
    groupId: string,
    pagination: Pagination,
  ): Promise<ListResult<LicenseView>> {
    const { group, facts } = await this.groups.findForNested(ctx, groupId);
    const caller = callerOf(ctx);
    const access = nestedReadsPolicy.groupLicensesAccess(
      caller.bearer,
      facts.owns.includes(group.id),
    );
    // compat: Keygen scopes the page, then authorizes it as a whole, so a member that
    // owns some other group gets an empty list here while one that owns none gets 403.
    const page = await this.records.list(ctx.scope, access, { clauses: [] }, pagination, {
      groupId: group.id,
    });
    enforce(
      nestedReadsPolicy.groupLicenses(caller, facts.owns, page.rows, ctx.scope.environmentId),
    );
    return { ...page, rows: await this.licenses.views(page.rows, ctx.clock.now()) };
  }

  /** compat: looked up among all the group's licenses (any environment), then authorized. */
  async show(ctx: RequestContext, groupId: string, idOrKey: string): Promise<LicenseView> {
    const { group, facts } = await this.groups.findForNested(ctx, groupId);
    const row = await this.records.findInParent(ctx.scope, { groupId: group.id }, idOrKey);
    if (!row) {
      throw NotFoundError.record('license', idOrKey);
    }
    enforce(nestedReadsPolicy.groupLicenses(callerOf(ctx), facts.owns, [row], row.environmentId));
    return this.licenses.view(row, ctx.clock.now());
  }
}

import { Injectable } from '@nestjs/common';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { TransactionRunner } from '@app/common/database/transaction';
import { NotFoundError, UnprocessableError } from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { Group } from '@app/modules/groups/group.entity';
import { License } from '../license.entity';
import { LicenseLookup } from '../license-lookup.service';
import { licensePolicy, related } from '../license.policy';
import type { LicenseView } from '../license.view';
import { LicensesRepository } from '../licenses.repository';
import type { ToOneBody } from './dto/license-relationships.params';
import { emitLicenseEvent, licenseEnvironment } from './license-relationship-events';
import { LicenseRelationshipsRepository } from './license-relationships.repository';
import {
  associationFits,
  environmentNotAllowed,
  groupLicenseLimitExceeded,
  mustExist,
  renderModelErrors,
  type ModelError,
} from './license-relationships.rules';

/** `GET/PUT /licenses/{id}/group` (spec 01 §8, 02 §4.8). */
@Injectable()
export class LicenseGroupService {
  constructor(
    private readonly lookup: LicenseLookup,
    private readonly licenses: LicensesRepository,
    private readonly repo: LicenseRelationshipsRepository,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  /** The group; a license without one is a 404 before any permission check. */
  async show(ctx: RequestContext, idOrKey: string): Promise<Group> {
    const { view, facts, caller } = await this.lookup.find(ctx, idOrKey);
    const group = view.groupId ? await this.repo.groupInAccount(ctx.scope, view.groupId) : null;
    if (!group) {
      throw new NotFoundError('The requested group was not found');
    }
    enforce(licensePolicy.readRelated(caller, facts, 'group.read', related.one(group)));
    return group;
  }

  /**
   * Lookup (404) → params (400) → the group in the account → authorize against it
   * (403) → validation with the group row locked, so concurrent changes cannot pass
   * its license limit (422) → save.
   */
  async change(
    ctx: RequestContext,
    idOrKey: string,
    params: ParamsThunk<ToOneBody>,
  ): Promise<LicenseView> {
    const { view, facts, caller } = await this.lookup.find(ctx, idOrKey);
    const groupId = params().data?.id ?? null;
    const named = groupId ? await this.repo.groupInAccount(ctx.scope, groupId) : null;
    enforce(licensePolicy.changeGroup(caller, facts, related.one(named)));

    const now = ctx.clock.now();
    const updated = await this.tx.run(async (m) => {
      const row = await this.licenses.lockById(m, ctx.scope, view.id);
      if (!row) {
        throw NotFoundError.record('license', idOrKey);
      }
      const changed = groupId !== row.groupId;
      const group = groupId ? await this.repo.lockGroup(m, ctx.scope, groupId) : null;
      const errors: ModelError[] = [];
      if (changed && group && !associationFits(licenseEnvironment(ctx, row), group.environmentId)) {
        errors.push(environmentNotAllowed('group'));
      }
      if (groupId !== null && !group) {
        errors.push(mustExist('group'));
      }
      if (changed && group && group.maxLicenses !== null) {
        if ((await this.repo.countGroupLicenses(m, ctx.scope, group.id)) >= group.maxLicenses) {
          errors.push(groupLicenseLimitExceeded(group.maxLicenses));
        }
      }
      if (errors.length > 0) {
        throw new UnprocessableError(renderModelErrors(errors, 'licenses'));
      }
      if (!changed) {
        return row;
      }
      await this.repo.setGroup(m, ctx.scope, row.id, { groupId, updatedAt: now });
      return Object.assign(new License(), row, { groupId, updatedAt: now });
    });
    const result = await this.licenses.view(updated, now);
    emitLicenseEvent(this.events, 'license.group.updated', ctx, result);
    return result;
  }
}

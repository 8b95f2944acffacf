import { Injectable } from '@nestjs/common';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { TransactionRunner } from '@app/common/database/transaction';
import { NotFoundError, UnprocessableError } from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { User } from '@app/modules/users/user.entity';
import { License } from '../license.entity';
import { LicenseLookup } from '../license-lookup.service';
import { licensePolicy, related } from '../license.policy';
import { effectiveLimits, type LicenseView } from '../license.view';
import { LicensesRepository } from '../licenses.repository';
import type { ToOneBody } from './dto/license-relationships.params';
import { emitLicenseEvent, licenseEnvironment } from './license-relationship-events';
import { LicenseRelationshipsRepository } from './license-relationships.repository';
import {
  associationFits,
  environmentNotAllowed,
  groupLicenseLimitExceeded,
  mustExist,
  rel,
  renderModelErrors,
  userCountAllowed,
  userLimitExceeded,
  type ModelError,
} from './license-relationships.rules';

/**
 * `GET/PUT /licenses/{id}/owner` and the legacy (API 1.5) `GET/PUT /licenses/{id}/user`
 * (spec 02 §4.8): the owner, or `{"data": null}`.
 */
@Injectable()
export class LicenseOwnerService {
  constructor(
    private readonly lookup: LicenseLookup,
    private readonly licenses: LicensesRepository,
    private readonly repo: LicenseRelationshipsRepository,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  /** `legacy`: the v1.5 `/user` route, which only the owner among users may read. */
  async show(ctx: RequestContext, idOrKey: string, legacy = false): Promise<User | null> {
    const { view, facts, caller } = await this.lookup.find(ctx, idOrKey);
    const owner = view.ownerId ? await this.repo.userInAccount(ctx.scope, view.ownerId) : null;
    enforce(
      legacy
        ? licensePolicy.readLegacyUser(caller, facts, related.one(owner))
        : licensePolicy.readRelated(caller, facts, 'user.read', related.one(owner)),
    );
    return owner;
  }

  /**
   * Lookup (404) → authorize against the current owner (403) → params (400) →
   * validation (422, the group row locked when the new owner's group is inherited)
   * → save. `legacy` answers `license.user.updated` under `license.user.update`.
   */
  async change(
    ctx: RequestContext,
    idOrKey: string,
    params: ParamsThunk<ToOneBody>,
    legacy = false,
  ): Promise<LicenseView> {
    const { view, facts, caller } = await this.lookup.find(ctx, idOrKey);
    const current = view.ownerId ? await this.repo.userInAccount(ctx.scope, view.ownerId) : null;
    enforce(
      licensePolicy.changeOwner(
        caller,
        facts,
        legacy ? 'license.user.update' : 'license.owner.update',
        related.one(current),
      ),
    );
    const ownerId = params().data?.id ?? null;

    const now = ctx.clock.now();
    const updated = await this.tx.run(async (m) => {
      const row = await this.licenses.lockById(m, ctx.scope, view.id);
      if (!row) {
        throw NotFoundError.record('license', idOrKey);
      }
      const owner = ownerId ? await this.repo.userInAccount(ctx.scope, ownerId, m) : null;
      const ownerChanged = ownerId !== row.ownerId;
      // The license takes its new owner's group when it has none (Keygen's before_validation).
      const groupId = ownerChanged && owner && row.groupId === null ? owner.groupId : row.groupId;
      const groupChanged = groupId !== row.groupId;
      const group =
        groupChanged && groupId ? await this.repo.lockGroup(m, ctx.scope, groupId) : null;

      const env = licenseEnvironment(ctx, row);
      const errors: ModelError[] = [];
      if (group && !associationFits(env, group.environmentId)) {
        errors.push(environmentNotAllowed('group'));
      }
      if (
        ownerChanged &&
        owner &&
        !associationFits(env, owner.environmentId, owner.role === 'admin')
      ) {
        errors.push(environmentNotAllowed('owner'));
      }
      if (ownerId !== null && !owner) {
        errors.push(mustExist('owner'));
      }
      const licensees =
        ownerChanged && ownerId !== null
          ? await this.repo.licenseeIds(m, row.id)
          : new Set<string>();
      if (ownerChanged && ownerId !== null) {
        const max = effectiveLimits(row, view.policy).maxUsers;
        if (
          max !== null &&
          !userCountAllowed(licensees.size + 1, max, view.policy.overageStrategy)
        ) {
          errors.push(userLimitExceeded(max));
        }
      }
      if (group && group.maxLicenses !== null) {
        if ((await this.repo.countGroupLicenses(m, ctx.scope, group.id)) >= group.maxLicenses) {
          errors.push(groupLicenseLimitExceeded(group.maxLicenses));
        }
      }
      if (ownerChanged && owner && licensees.has(owner.id)) {
        errors.push(
          rel('owner', 'OWNER_INVALID', 'already exists (user is attached through users)'),
        );
      }
      if (errors.length > 0) {
        throw new UnprocessableError(renderModelErrors(errors, 'licenses'));
      }
      if (!ownerChanged && !groupChanged) {
        return row;
      }
      await this.repo.setOwnerAndGroup(m, ctx.scope, row.id, { ownerId, groupId, updatedAt: now });
      return Object.assign(new License(), row, { ownerId, groupId, updatedAt: now });
    });
    const result = await this.licenses.view(updated, now);
    emitLicenseEvent(
      this.events,
      legacy ? 'license.user.updated' : 'license.owner.updated',
      ctx,
      result,
    );
    return result;
  }
}

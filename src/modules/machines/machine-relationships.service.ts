import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { TransactionRunner } from '@app/common/database/transaction';
import { NotFoundError, type ApiErrorItem } from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { Group } from '@app/modules/groups/group.entity';
import type { LicenseView } from '@app/modules/licenses/license.view';
import { LicensesRepository } from '@app/modules/licenses/licenses.repository';
import type { Product } from '@app/modules/products/product.entity';
import type { User } from '@app/modules/users/user.entity';
import type { ChangeRelationshipBody } from './dto/machine.params';
import { MachineActivationRepository } from './machine-activation.repository';
import { assertNoErrors, machineRelationshipError } from './machine.errors';
import { MACHINE_EVENTS, emitMachineEvent } from './machine-events';
import { MachineLimits } from './machine-limits';
import { machinePolicy } from './machine.policy';
import { MachineRelationshipsRepository } from './machine-relationships.repository';
import type { MachineView } from './machine.view';
import { MachinesRepository } from './machines.repository';
import { MachinesService } from './machines.service';

/**
 * `/machines/{id}/product|license|owner|group|user` (spec 03 §1.1, §1.11, §1.12):
 * reads of what a machine points at, and the owner and group changes, which re-run
 * the limits under the license's row lock (and lock the joined group).
 */
@Injectable()
export class MachineRelationshipsService {
  constructor(
    private readonly machines: MachinesService,
    private readonly machineRows: MachinesRepository,
    private readonly repo: MachineRelationshipsRepository,
    private readonly activation: MachineActivationRepository,
    private readonly limits: MachineLimits,
    private readonly licenses: LicensesRepository,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  async product(ctx: RequestContext, id: string): Promise<Product | null> {
    const { view, facts, caller } = await this.machines.find(ctx, id);
    const product = await this.repo.product(ctx.scope.accountId, view.productId);
    enforce(machinePolicy.readRelated(caller, facts, 'product.read', product));
    return product;
  }

  async license(ctx: RequestContext, id: string): Promise<LicenseView | null> {
    const { view, facts, caller } = await this.machines.find(ctx, id);
    const license = await this.repo.license(ctx.scope.accountId, view.licenseId);
    enforce(machinePolicy.readRelated(caller, facts, 'license.read', license));
    return license ? this.licenses.view(license, ctx.clock.now()) : null;
  }

  /** The owner, or `{"data": null}`. */
  async owner(ctx: RequestContext, id: string): Promise<User | null> {
    const { view, facts, caller } = await this.machines.find(ctx, id);
    const owner = view.ownerId ? await this.repo.user(ctx.scope.accountId, view.ownerId) : null;
    enforce(machinePolicy.readRelated(caller, facts, 'user.read', owner));
    return owner;
  }

  /** ≤1.5: the license's owner. */
  async legacyUser(ctx: RequestContext, id: string): Promise<User | null> {
    const { view, facts, caller } = await this.machines.find(ctx, id);
    const user = view.licenseOwnerId
      ? await this.repo.user(ctx.scope.accountId, view.licenseOwnerId)
      : null;
    enforce(machinePolicy.readLegacyUser(caller, facts, user));
    return user;
  }

  /** The group; 404 `The requested group was not found` when the machine has none. */
  async group(ctx: RequestContext, id: string): Promise<Group> {
    const { view, facts, caller } = await this.machines.find(ctx, id);
    const group = view.groupId ? await this.repo.group(ctx.scope.accountId, view.groupId) : null;
    if (!group) {
      throw new NotFoundError('The requested group was not found');
    }
    const bearerGroups =
      caller.bearer.role === 'user'
        ? await this.repo.groupsOf(ctx.scope.accountId, caller.bearer.id)
        : [];
    enforce(machinePolicy.readGroup(caller, facts, group, bearerGroups));
    return group;
  }

  /** PUT /machines/{id}/owner: lookup (404) → rule on the current owner (403) → body (400) → 422. */
  async changeOwner(
    ctx: RequestContext,
    id: string,
    params: ParamsThunk<ChangeRelationshipBody>,
  ): Promise<MachineView> {
    const { view, facts, caller } = await this.machines.find(ctx, id);
    const current = view.ownerId ? await this.repo.user(ctx.scope.accountId, view.ownerId) : null;
    enforce(machinePolicy.changeOwner(caller, facts, current));
    const ownerId = params().data?.id ?? null;

    const updated = await this.tx.run(async (m) => {
      const errors: ApiErrorItem[] = [];
      const locked = await this.activation.lockLicense(ctx.scope.accountId, view.licenseId, m);
      const owner = ownerId
        ? await this.activation.findUser(ctx.scope.accountId, ownerId, m)
        : null;
      if (ownerId && !owner) {
        errors.push(machineRelationshipError('owner', 'OWNER_NOT_FOUND', 'must exist'));
      }
      const next = copy(view, { ownerId });
      // The new owner's group is inherited when the machine has none.
      if (next.groupId === null && owner?.groupId) {
        next.groupId = owner.groupId;
      }
      if (locked) {
        errors.push(...(await this.limits.resourceErrors(next, locked, m)));
      }
      if (next.groupId !== view.groupId && next.groupId !== null) {
        errors.push(...(await this.groupLimitErrors(ctx, next.groupId, m)));
      }
      if (locked && owner && !(await this.activation.isLicenseUser(locked.license, owner.id, m))) {
        errors.push(
          machineRelationshipError('owner', 'OWNER_INVALID', 'must be a valid license user'),
        );
      }
      assertNoErrors(errors);
      return this.save(ctx, view, next, m);
    });
    emitMachineEvent(this.events, MACHINE_EVENTS.ownerUpdated, ctx, updated);
    return updated;
  }

  /**
   * PUT /machines/{id}/group: the body names the group the rule checks, so Keygen reads
   * it first: lookup (404) → body (400) → rule on the new group (403) → 422.
   */
  async changeGroup(
    ctx: RequestContext,
    id: string,
    params: ParamsThunk<ChangeRelationshipBody>,
  ): Promise<MachineView> {
    const { view, facts, caller } = await this.machines.find(ctx, id);
    const groupId = params().data?.id ?? null;
    const group = groupId ? await this.repo.group(ctx.scope.accountId, groupId) : null;
    enforce(machinePolicy.changeGroup(caller, facts, group));

    const updated = await this.tx.run(async (m) => {
      const errors: ApiErrorItem[] = [];
      const locked = await this.activation.lockLicense(ctx.scope.accountId, view.licenseId, m);
      const next = copy(view, { groupId });
      if (locked) {
        errors.push(...(await this.limits.resourceErrors(next, locked, m)));
      }
      if (groupId !== null && groupId !== view.groupId) {
        errors.push(...(await this.groupLimitErrors(ctx, groupId, m)));
      }
      assertNoErrors(errors);
      return this.save(ctx, view, next, m);
    });
    emitMachineEvent(this.events, MACHINE_EVENTS.groupUpdated, ctx, updated);
    return updated;
  }

  /** GROUP_NOT_FOUND, or the group's machine limit (locked, no overage). */
  private async groupLimitErrors(
    ctx: RequestContext,
    groupId: string,
    m: EntityManager,
  ): Promise<ApiErrorItem[]> {
    const group = await this.activation.lockGroup(ctx.scope.accountId, groupId, m);
    if (!group) {
      return [machineRelationshipError('group', 'GROUP_NOT_FOUND', 'must exist')];
    }
    if (
      group.maxMachines !== null &&
      (await this.activation.countGroupMachines(group.id, m)) >= group.maxMachines
    ) {
      return [
        machineRelationshipError(
          'group',
          'GROUP_MACHINE_LIMIT_EXCEEDED',
          `machine count has exceeded maximum allowed by current group (${group.maxMachines})`,
        ),
      ];
    }
    return [];
  }

  private async save(
    ctx: RequestContext,
    before: MachineView,
    next: MachineView,
    m: EntityManager,
  ): Promise<MachineView> {
    if (next.ownerId !== before.ownerId || next.groupId !== before.groupId) {
      next.updatedAt = ctx.clock.now();
      await this.machineRows.update(
        ctx.scope.accountId,
        next.id,
        { ownerId: next.ownerId, groupId: next.groupId, updatedAt: next.updatedAt },
        m,
      );
    }
    return next;
  }
}

function copy(view: MachineView, patch: Partial<MachineView>): MachineView {
  return Object.assign(
    Object.create(Object.getPrototypeOf(view) as object) as MachineView,
    view,
    patch,
  );
}

import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { TransactionRunner } from '@app/common/database/transaction';
import { NotFoundError } from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { ListResult } from '@app/common/http/render';
import type { User } from '@app/modules/users/user.entity';
import { LicenseUser } from '../license.entity';
import { LicenseLookup } from '../license-lookup.service';
import { licensePolicy, related } from '../license.policy';
import { effectiveLimits, type LicenseView } from '../license.view';
import { LicensesRepository } from '../licenses.repository';
import type { ToManyBody } from './dto/license-relationships.params';
import { joinRowEnvironment } from './license-relationship-events';
import {
  associationFits,
  rel,
  userCountAllowed,
  userLimitExceeded,
  type ModelError,
} from './license-relationships.rules';
import { attachAll, cannotDetach, joinRowColumns, notAttached } from './license-to-many';
import { LicenseUserSerializer } from './license-user.serializer';
import { LicenseUsersRepository, type LicenseUsersAccess } from './license-users.repository';

/**
 * `/licenses/{id}/users` (spec 02 §4.9): the owner ∪ licensees, and attaching or
 * detaching licensees as `license-users` join rows, all or nothing.
 */
@Injectable()
export class LicenseUsersService {
  constructor(
    private readonly lookup: LicenseLookup,
    private readonly licenses: LicensesRepository,
    private readonly repo: LicenseUsersRepository,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  async index(
    ctx: RequestContext,
    idOrKey: string,
    pagination: Pagination,
  ): Promise<ListResult<User>> {
    const { view, facts, caller } = await this.lookup.find(ctx, idOrKey);
    // Products read only `user`-role users (Keygen's User.accessible_by for products).
    const access: LicenseUsersAccess =
      caller.bearer.role === 'product' ? { kind: 'role-user' } : { kind: 'all' };
    const page = await this.repo.list(ctx.scope, view, access, pagination);
    enforce(licensePolicy.readRelated(caller, facts, 'user.read', related.many(page.rows)));
    return page;
  }

  async show(ctx: RequestContext, idOrKey: string, idOrEmail: string): Promise<User> {
    const { view, facts, caller } = await this.lookup.find(ctx, idOrKey);
    const user = idOrEmail === '' ? null : await this.repo.find(ctx.scope, view, idOrEmail);
    if (!user) {
      throw NotFoundError.record('user', idOrEmail);
    }
    enforce(licensePolicy.readRelated(caller, facts, 'user.read', related.one(user)));
    return user;
  }

  /**
   * Lookup (404) → params (400) → authorize against the named users found (403) →
   * each new row validated in order, counting the earlier ones (422: the first
   * invalid row's errors, nothing attached) → insert.
   */
  async attach(
    ctx: RequestContext,
    idOrKey: string,
    params: ParamsThunk<ToManyBody>,
  ): Promise<LicenseUser[]> {
    const { view, ids, users } = await this.authorize(ctx, idOrKey, params, 'license.users.attach');
    const now = ctx.clock.now();
    const rowEnv = joinRowEnvironment(ctx, view);
    const rows = await this.tx.run(async (m) => {
      const row = await this.licenses.lockById(m, ctx.scope, view.id);
      if (!row) {
        throw NotFoundError.record('license', idOrKey);
      }
      const attached = new Set((await this.repo.attachedAll(m, row.id)).map((lu) => lu.userId));
      const max = effectiveLimits(row, view.policy).maxUsers;
      // Owner + licensees before this request; each accepted id adds one.
      const held = attached.size + (row.ownerId ? 1 : 0);
      const out = attachAll(ids, {
        name: 'user',
        topic: 'licenses',
        found: users,
        licenseFits: associationFits(rowEnv, row.environmentId),
        fits: (u) => associationFits(rowEnv, u.environmentId, u.role === 'admin'),
        attached,
        more: (_id, user, accepted) => {
          const errors: ModelError[] = [];
          if (user && user.id === row.ownerId) {
            errors.push(
              rel('user', 'USER_CONFLICT', 'already exists (user is attached through owner)'),
            );
          }
          const count = held + accepted + 1;
          if (max !== null && !userCountAllowed(count, max, view.policy.overageStrategy)) {
            errors.push(userLimitExceeded(max));
          }
          return errors;
        },
        row: (id) =>
          Object.assign(new LicenseUser(), joinRowColumns(ctx, row.id, rowEnv, now), {
            userId: id,
          }),
      });
      await this.repo.insert(m, ctx.scope, out);
      return out;
    });
    this.emit('license.users.attached', ctx, view, rows);
    return rows;
  }

  /**
   * Every listed user must be a licensee: the owner is a 403, anything else not
   * attached a 422, and nothing is detached. Detached users' machines on the license
   * lose their owner.
   */
  async detach(
    ctx: RequestContext,
    idOrKey: string,
    params: ParamsThunk<ToManyBody>,
  ): Promise<void> {
    const { view, ids } = await this.authorize(ctx, idOrKey, params, 'license.users.detach');
    if (view.ownerId !== null && ids.includes(view.ownerId)) {
      throw cannotDetach('user', view.ownerId, ids, 'user is attached through owner');
    }
    const rows = await this.tx.run(async (m) => {
      const found = await this.repo.attached(m, view.id, ids);
      if (found.length !== ids.length) {
        throw notAttached('user', ids, new Set(found.map((lu) => lu.userId)));
      }
      await this.repo.detach(m, ctx.scope, view.id, found);
      return found;
    });
    this.emit('license.users.detached', ctx, view, rows);
  }

  /** Lookup (404) → params (400) → authorize against the named users found (403). */
  private async authorize(
    ctx: RequestContext,
    idOrKey: string,
    params: ParamsThunk<ToManyBody>,
    permission: 'license.users.attach' | 'license.users.detach',
  ): Promise<{ view: LicenseView; ids: string[]; users: User[] }> {
    const { view, facts, caller } = await this.lookup.find(ctx, idOrKey);
    const ids = params().data.map((d) => d.id);
    const users = await this.repo.usersInAccount(ctx.scope, ids);
    enforce(licensePolicy.attachUsers(caller, facts, permission, related.many(users)));
    return { view, ids, users };
  }

  /** The event's record is the list of join rows attached or detached. */
  private emit(name: string, ctx: RequestContext, license: LicenseView, rows: LicenseUser[]): void {
    this.events.emit(name, ctx, {
      type: 'license-users',
      id: license.id,
      record: rows,
      serializer: LicenseUserSerializer as never,
    });
  }
}

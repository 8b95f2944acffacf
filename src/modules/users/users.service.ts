import { Injectable } from '@nestjs/common';
import { hashPassword } from '@libs/crypto';
import { isPlainObject, type Pagination } from '@libs/jsonapi';
import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import { parseUserRole, type UserRole } from '@app/common/auth/roles';
import type { RequestContext } from '@app/common/context/request-context';
import type { SqlPredicate } from '@app/common/database/sql-predicate';
import { TransactionRunner } from '@app/common/database/transaction';
import { UnprocessableError } from '@app/common/errors/api-error';
import { diffOf } from '@app/common/events/diff';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid, uuidv4 } from '@app/common/ids';
import { AccountSettingsService } from '@app/modules/accounts/account-settings.service';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { CreateUserBody, UpdateUserBody } from './dto/user.params';
import { User } from './user.entity';
import { adminsRequired, permissionsNotAllowed } from './user.errors';
import { emitUserEvent } from './user-events';
import { findUserInScope } from './user-lookup';
import { enforce, policyContext, userFacts, userPolicy, userScope } from './user.policy';
import {
  adminMinimumError,
  isRootSet,
  normalizeEmail,
  permissionsAfterRoleChange,
  permissionsKnown,
  userValidationErrors,
} from './user.rules';
import { UsersRepository, type UserListFilters } from './users.repository';

/** Users CRUD (spec 01 §5). Actions and password flows live in their own services. */
@Injectable()
export class UsersService {
  constructor(
    private readonly repo: UsersRepository,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
    private readonly settings: AccountSettingsService,
  ) {}

  async index(
    ctx: RequestContext,
    query: Record<string, unknown>,
    pagination: Pagination,
    search?: SqlPredicate,
  ): Promise<ListResult<User>> {
    const filters = listFilters(query, ctx.clock.now());
    const page = await this.repo.list(
      ctx.scope,
      userScope(ctx.bearer),
      filters,
      pagination,
      search,
    );
    enforce(userPolicy.index(policyContext(ctx), page.rows.map(userFacts)), !!ctx.bearer);
    return page;
  }

  /** Top-level routes lower-case the `{id|email}` segment before looking it up. */
  async show(ctx: RequestContext, idOrEmail: string): Promise<User> {
    const user = await findUserInScope(this.repo, ctx, idOrEmail.toLowerCase());
    enforce(userPolicy.show(policyContext(ctx), userFacts(user)), !!ctx.bearer);
    await this.repo.markLicenseActivity([user], ctx.clock.now());
    return user;
  }

  /** Anonymous when the account is unprotected (spec 01 §5.4.1); params are validated first. */
  async create(ctx: RequestContext, body: CreateUserBody): Promise<User> {
    const attrs = body.data.attributes;
    const rels = body.data.relationships ?? {};
    // compat: Keygen rejects unknown/duplicate permissions while assigning, before authorizing.
    if (attrs.permissions !== undefined && !permissionsKnown(attrs.permissions)) {
      throw new UnprocessableError(permissionsNotAllowed());
    }
    const role: UserRole = attrs.role ?? 'user';
    const now = ctx.clock.now();
    const user = Object.assign(new User(), {
      id: uuidv4(),
      accountId: ctx.scope.accountId,
      environmentId: rels.environment
        ? (rels.environment.data?.id ?? null)
        : ctx.scope.environmentId,
      groupId: rels.group?.data?.id ?? null,
      email: normalizeEmail(attrs.email),
      passwordDigest: null as string | null,
      firstName: attrs.first_name ?? null,
      lastName: attrs.last_name ?? null,
      role,
      permissions: attrs.permissions
        ? [...attrs.permissions]
        : await this.defaultPermissions(ctx, role),
      metadata: attrs.metadata ?? {},
      bannedAt: null,
      passwordResetDigest: null,
      passwordResetSentAt: null,
      createdAt: now,
      updatedAt: now,
    });

    enforce(userPolicy.create(policyContext(ctx), userFacts(user)), !!ctx.bearer);

    const errors = userValidationErrors({
      ...user,
      emailTaken: await this.repo.emailTakenInAccount(ctx.scope, user.email),
      password: attrs.password,
      groupMissing:
        user.groupId !== null && !(await this.repo.groupExistsInAccount(ctx.scope, user.groupId)),
    });
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }
    if (typeof attrs.password === 'string') {
      user.passwordDigest = await hashPassword(attrs.password);
    }

    await this.repo.insert(ctx.scope, user);
    emitUserEvent(this.events, 'user.created', ctx, user);
    return user;
  }

  /**
   * Attributes are assigned first, then authorized (so escalation is caught by the
   * privilege rules), then validated; a role change revokes the user's other tokens.
   */
  async update(
    ctx: RequestContext,
    idOrEmail: string,
    params: ParamsThunk<UpdateUserBody>,
  ): Promise<User> {
    const user = await findUserInScope(this.repo, ctx, idOrEmail.toLowerCase());
    const attrs = params().data.attributes ?? {};
    if (attrs.permissions !== undefined && !permissionsKnown(attrs.permissions)) {
      throw new UnprocessableError(permissionsNotAllowed());
    }

    const next = Object.assign(new User(), user);
    if (attrs.first_name !== undefined) {
      next.firstName = attrs.first_name;
    }
    if (attrs.last_name !== undefined) {
      next.lastName = attrs.last_name;
    }
    if (attrs.email !== undefined) {
      next.email = normalizeEmail(attrs.email);
    }
    if (attrs.metadata !== undefined) {
      next.metadata = attrs.metadata;
    }
    let permissionsAssigned = false;
    if (attrs.role !== undefined) {
      // compat: assigning a role (even the same one) narrows permissions to the role's defaults.
      next.role = attrs.role;
      next.permissions = permissionsAfterRoleChange(
        user.permissions,
        await this.defaultPermissions(ctx, attrs.role),
      );
      permissionsAssigned = true;
    }
    if (attrs.permissions !== undefined) {
      next.permissions = [...attrs.permissions];
      permissionsAssigned = true;
    }
    const roleChanged = next.role !== user.role;

    enforce(userPolicy.update(policyContext(ctx), userFacts(next)), !!ctx.bearer);

    const errors = userValidationErrors({
      ...next,
      emailTaken:
        next.email !== user.email &&
        (await this.repo.emailTakenInAccount(ctx.scope, next.email, user.id)),
      password: attrs.password,
    });
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }
    if (permissionsAssigned || roleChanged) {
      await this.assertAdminMinimum(ctx, user, next, false);
    }
    if (attrs.password !== undefined) {
      next.passwordDigest = attrs.password === null ? null : await hashPassword(attrs.password);
    }

    const patch = changes(user, next);
    if (Object.keys(patch).length > 0) {
      next.updatedAt = ctx.clock.now();
      patch.updatedAt = next.updatedAt;
      await this.tx.run(async (m) => {
        await this.repo.update(ctx.scope, user.id, patch, m);
        if (roleChanged) {
          await this.repo.revokeTokens(ctx.scope, user.id, ctx.token?.id ?? null, m);
        }
      });
    }
    emitUserEvent(this.events, 'user.updated', ctx, next, undefined, diffOf(user, next));
    return next;
  }

  /** Deletes the user with its tokens and second factors (licenses/machines: their modules). */
  async destroy(ctx: RequestContext, idOrEmail: string): Promise<void> {
    const user = await findUserInScope(this.repo, ctx, idOrEmail.toLowerCase());
    enforce(userPolicy.destroy(policyContext(ctx), userFacts(user)), !!ctx.bearer);
    await this.assertAdminMinimum(ctx, user, user, true);
    await this.tx.run(async (m) => {
      await this.repo.revokeTokens(ctx.scope, user.id, null, m);
      await this.repo.deleteSecondFactors(ctx.scope, user.id, m);
      await this.repo.delete(ctx.scope, user.id, m);
    });
    emitUserEvent(this.events, 'user.deleted', ctx, user);
  }

  /** Spec 01 §2.3: role defaults; `user` honours the account's default_user_permissions. */
  private async defaultPermissions(ctx: RequestContext, role: UserRole): Promise<string[]> {
    if (role === 'user') {
      const setting = await this.settings.defaultPermissionsFor(ctx, 'user');
      if (setting) {
        return setting;
      }
    }
    return [...DEFAULT_PERMISSIONS[role]];
  }

  /** Spec 01 §2.6.4, counted across the whole account. */
  private async assertAdminMinimum(
    ctx: RequestContext,
    before: User,
    after: User,
    destroying: boolean,
  ): Promise<void> {
    if (before.role !== 'admin' && after.role !== 'admin') {
      return;
    }
    const others = await this.repo.otherAdminPermissionsInAccount(ctx.scope, before.id);
    const detail = adminMinimumError({
      wasAdmin: before.role === 'admin',
      isAdmin: after.role === 'admin',
      destroying,
      roleChanged: before.role !== after.role,
      targetRoot: isRootSet(after.role, after.permissions),
      otherAdminsRoot: others.map((p) => isRootSet('admin', p)),
    });
    if (detail) {
      throw new UnprocessableError(adminsRequired(detail));
    }
  }
}

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** The columns that differ between two versions of a user. */
function changes(before: User, after: User): Partial<User> {
  const patch: Partial<User> = {};
  if (after.firstName !== before.firstName) {
    patch.firstName = after.firstName;
  }
  if (after.lastName !== before.lastName) {
    patch.lastName = after.lastName;
  }
  if (after.email !== before.email) {
    patch.email = after.email;
  }
  if (after.passwordDigest !== before.passwordDigest) {
    patch.passwordDigest = after.passwordDigest;
  }
  if (JSON.stringify(after.metadata) !== JSON.stringify(before.metadata)) {
    patch.metadata = after.metadata;
  }
  if (after.role !== before.role) {
    patch.role = after.role;
  }
  if (!sameList(after.permissions, before.permissions)) {
    patch.permissions = after.permissions;
  }
  return patch;
}

/** `roles[]` (default `[user]`), `status`, `metadata[key]=value` (spec 01 §5.3). */
function listFilters(query: Record<string, unknown>, now: Date): UserListFilters {
  const raw = query.roles;
  const requested = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : ['user'];
  const roles = requested
    .map((r) => (typeof r === 'string' ? parseUserRole(r) : null))
    .filter((r): r is UserRole => r !== null);
  const filters: UserListFilters = { roles, now };
  if (typeof query.status === 'string') {
    filters.status = query.status.toUpperCase();
  }
  if (isPlainObject(query.metadata)) {
    const pairs: Record<string, string> = {};
    for (const [k, v] of Object.entries(query.metadata)) {
      if (typeof v === 'string') {
        pairs[k] = v;
      }
    }
    filters.metadata = pairs;
  }
  // `assigned` (alias `active`) is has_scope's boolean type: only "true"/"1" are true.
  const assigned = scalarParam(query.assigned) ?? scalarParam(query.active);
  if (assigned !== null) {
    filters.assigned = assigned === 'true' || assigned === '1';
  }
  const ids: Array<['product' | 'license' | 'group', 'productId' | 'licenseId' | 'groupId']> = [
    ['product', 'productId'],
    ['license', 'licenseId'],
    ['group', 'groupId'],
  ];
  for (const [param, key] of ids) {
    const v = scalarParam(query[param]);
    if (v !== null) {
      filters[key] = isUuidLike(v) ? normalizeUuid(v) : null;
    }
  }
  return filters;
}

/** A non-blank string query value (has_scope ignores blanks, arrays and hashes). */
function scalarParam(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

import { enforce } from '@app/common/auth/policy';
import { Injectable } from '@nestjs/common';
import { hashPassword } from '@libs/crypto';
import type { Pagination } from '@libs/jsonapi';
import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import type { RequestContext } from '@app/common/context/request-context';
import { TransactionRunner } from '@app/common/database/transaction';
import { ConflictError, NotFoundError, UnprocessableError } from '@app/common/errors/api-error';
import { diffOf } from '@app/common/events/diff';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ListResult } from '@app/common/http/render';
import { uuidv4 } from '@app/common/ids';
import { User } from '@app/modules/users/user.entity';
import { Environment, type IsolationStrategy } from './environment.entity';
import {
  adminErrors,
  environmentErrors,
  normalizeEmail,
  type NewAdmin,
} from './environment.errors';
import { environmentPolicy, factsOf, type PolicyFacts } from './environment.policy';
import { EnvironmentSerializer } from './environment.serializer';
import { EnvironmentsCache } from './environments.cache';
import { EnvironmentsRepository } from './environments.repository';

/** compat: Keygen's `accepts_nested_attributes_for :users, limit: 10`. */
const MAX_FOUNDING_ADMINS = 10;

export interface CreateEnvironment {
  name: string;
  code: string;
  isolation_strategy?: string;
}

/** An admin embedded in `relationships.admins.data[].attributes` (snake_case params). */
export interface EmbeddedAdmin {
  email: string;
  password?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  metadata?: Record<string, unknown>;
}

export interface UpdateEnvironment {
  name?: string;
  code?: string;
}

@Injectable()
export class EnvironmentsService {
  constructor(
    private readonly repo: EnvironmentsRepository,
    private readonly cache: EnvironmentsCache,
    private readonly events: DomainEvents,
    private readonly tx: TransactionRunner,
  ) {}

  async index(ctx: RequestContext, pagination: Pagination): Promise<ListResult<Environment>> {
    const f = factsOf(ctx);
    // compat: Keygen authorizes the list as a whole (403, never an empty list).
    enforce(environmentPolicy.index(f));
    return this.repo.list(ctx.scope, environmentPolicy.scope(f.bearer), pagination);
  }

  /** The environment by id or code within the bearer's reach, else 404 (no policy check). */
  find(ctx: RequestContext, idOrCode: string): Promise<Environment> {
    return this.load(ctx, factsOf(ctx), idOrCode);
  }

  async show(ctx: RequestContext, idOrCode: string): Promise<Environment> {
    const f = factsOf(ctx);
    const env = await this.load(ctx, f, idOrCode);
    enforce(environmentPolicy.show(f, env));
    return env;
  }

  async create(
    ctx: RequestContext,
    attrs: CreateEnvironment,
    admins: readonly EmbeddedAdmin[],
  ): Promise<Environment> {
    const f = factsOf(ctx);
    // compat: Keygen raises this while assigning the nested admins, before authorizing.
    if (admins.length > MAX_FOUNDING_ADMINS) {
      throw new UnprocessableError({ detail: 'too many records' }, 'Unprocessable entity');
    }
    enforce(environmentPolicy.create(f));

    const now = ctx.clock.now();
    const env = Object.assign(new Environment(), {
      id: uuidv4(),
      accountId: ctx.account.account.id,
      name: attrs.name,
      code: attrs.code,
      isolationStrategy: (attrs.isolation_strategy ?? 'ISOLATED') as IsolationStrategy,
      createdAt: now,
      updatedAt: now,
    });
    const founders: NewAdmin[] = admins.map((a) => ({
      email: normalizeEmail(a.email),
      // compat: a blank password leaves the admin passwordless (has_secure_password ignores "").
      password: a.password ? a.password : null,
      firstName: a.first_name ?? null,
      lastName: a.last_name ?? null,
      metadata: a.metadata ?? {},
    }));
    const taken = await this.repo.takenEmails(
      ctx.scope,
      founders.map((a) => a.email),
    );
    const errors = [
      ...adminErrors(founders, taken),
      ...environmentErrors(
        { name: env.name, code: env.code, isolationStrategy: attrs.isolation_strategy },
        { codeTaken: await this.repo.codeTaken(ctx.scope, env.code) },
      ),
    ];
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }

    // compat: sibling admins are not checked against each other, so Keygen hits the
    // unique index (409); answer the same without attempting the insert.
    if (new Set(founders.map((a) => a.email)).size < founders.length) {
      throw new ConflictError();
    }
    const users = await Promise.all(founders.map((a) => this.founderRow(env, a)));
    await this.tx.run(async (m) => {
      await this.repo.insert(ctx.scope, m, env);
      await this.repo.insertUsers(ctx.scope, m, users);
    });
    this.cache.invalidate(ctx.account.account.id);
    this.emit('environment.created', ctx, env);
    return env;
  }

  async update(
    ctx: RequestContext,
    idOrCode: string,
    attrs: UpdateEnvironment,
  ): Promise<Environment> {
    const f = factsOf(ctx);
    const env = await this.load(ctx, f, idOrCode);
    enforce(environmentPolicy.update(f));

    const codeTaken =
      attrs.code !== undefined && (await this.repo.codeTaken(ctx.scope, attrs.code, env.id));
    const errors = environmentErrors(attrs, { codeTaken });
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }
    const changes: Partial<Environment> = {};
    if (attrs.name !== undefined && attrs.name !== env.name) {
      changes.name = attrs.name;
    }
    if (attrs.code !== undefined && attrs.code !== env.code) {
      changes.code = attrs.code;
    }
    // Like Keygen, an update that changes nothing leaves `updated` alone.
    if (Object.keys(changes).length > 0) {
      changes.updatedAt = ctx.clock.now();
      await this.repo.update(ctx.scope, env.id, changes);
      this.cache.invalidate(ctx.account.account.id);
    }
    const updated = Object.assign(new Environment(), env, changes);
    this.emit('environment.updated', ctx, updated, diffOf(env, updated));
    return updated;
  }

  async destroy(ctx: RequestContext, idOrCode: string): Promise<void> {
    const f = factsOf(ctx);
    const env = await this.load(ctx, f, idOrCode);
    enforce(environmentPolicy.destroy(f));
    await this.repo.delete(ctx.scope, env.id);
    this.cache.invalidate(ctx.account.account.id);
    this.emit('environment.deleted', ctx, env);
  }

  private async load(ctx: RequestContext, f: PolicyFacts, idOrCode: string): Promise<Environment> {
    const env = await this.repo.findAccessible(
      ctx.scope,
      environmentPolicy.scope(f.bearer),
      idOrCode,
    );
    if (!env) {
      throw NotFoundError.record('environment', idOrCode);
    }
    return env;
  }

  private async founderRow(env: Environment, a: NewAdmin): Promise<User> {
    return Object.assign(new User(), {
      id: uuidv4(),
      accountId: env.accountId,
      environmentId: env.id,
      groupId: null,
      email: a.email,
      passwordDigest: a.password === null ? null : await hashPassword(a.password),
      firstName: a.firstName,
      lastName: a.lastName,
      role: 'admin',
      permissions: [...DEFAULT_PERMISSIONS.admin],
      metadata: a.metadata,
      bannedAt: null,
      passwordResetDigest: null,
      passwordResetSentAt: null,
      createdAt: env.createdAt,
      updatedAt: env.createdAt,
    });
  }

  private emit(
    name: string,
    ctx: RequestContext,
    env: Environment,
    changes?: Record<string, [unknown, unknown]>,
  ): void {
    this.events.emit(
      name,
      ctx,
      {
        type: 'environments',
        id: env.id,
        record: env,
        serializer: EnvironmentSerializer as never,
      },
      changes ? { changes } : {},
    );
  }
}

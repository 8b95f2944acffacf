import { enforce } from '@app/common/auth/policy';
import { Injectable, Optional } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import type { RequestContext } from '@app/common/context/request-context';
import type { SqlPredicate } from '@app/common/database/sql-predicate';
import { LicenseHoldings } from '@app/common/licensing/holdings';
import { UnprocessableError, NotFoundError } from '@app/common/errors/api-error';
import { diffOf } from '@app/common/events/diff';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { ListResult } from '@app/common/http/render';
import { uuidv4 } from '@app/common/ids';
import { callerOf } from '@app/modules/tokens/token.policy';
import type { CreateEntitlementBody, UpdateEntitlementBody } from './dto/entitlement.params';
import { Entitlement } from './entitlement.entity';
import { entitlementPolicy, type EntitlementAccess } from './entitlement.policy';
import { entitlementErrors } from './entitlement.rules';
import { EntitlementSerializer } from './entitlement.serializer';
import { EntitlementsRepository } from './entitlements.repository';

export type EntitlementEvent =
  'entitlement.created' | 'entitlement.updated' | 'entitlement.deleted';

/** Entitlements CRUD (spec 02 §10) and the lookups attach/detach routes share. */
@Injectable()
export class EntitlementsService {
  constructor(
    private readonly repo: EntitlementsRepository,
    private readonly events: DomainEvents,
    @Optional() private readonly holdings?: LicenseHoldings,
  ) {}

  /** compat: scoped, then authorized as a whole (403, not an empty list). */
  async index(
    ctx: RequestContext,
    pagination: Pagination,
    search?: SqlPredicate,
  ): Promise<ListResult<Entitlement>> {
    const caller = callerOf(ctx);
    const held = await this.heldEntitlementIds(ctx);
    const page = await this.repo.list(ctx.scope, this.access(ctx, held), pagination, search);
    enforce(entitlementPolicy.index(caller, page.rows, held));
    return page;
  }

  async show(ctx: RequestContext, idOrCode: string): Promise<Entitlement> {
    const caller = callerOf(ctx);
    const held = await this.heldEntitlementIds(ctx);
    const entitlement = await this.load(ctx, this.access(ctx, held), idOrCode);
    enforce(entitlementPolicy.show(caller, entitlement, held));
    return entitlement;
  }

  /** Params (400) → authorize (403) → validate (422) → save. */
  async create(ctx: RequestContext, body: CreateEntitlementBody): Promise<Entitlement> {
    const caller = callerOf(ctx);
    const attrs = body.data.attributes;
    const env = body.data.relationships?.environment;
    const now = ctx.clock.now();
    const entitlement = Object.assign(new Entitlement(), {
      id: uuidv4(),
      accountId: ctx.scope.accountId,
      environmentId: env ? (env.data?.id ?? null) : ctx.scope.environmentId,
      name: attrs.name,
      code: attrs.code,
      metadata: attrs.metadata ?? {},
      createdAt: now,
      updatedAt: now,
    });
    enforce(entitlementPolicy.create(caller, entitlement));
    const errors = entitlementErrors(entitlement, {
      codeTaken: await this.repo.codeTakenInAccount(ctx.scope, entitlement.code),
    });
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }
    await this.repo.insert(ctx.scope, entitlement);
    this.emit('entitlement.created', ctx, entitlement);
    return entitlement;
  }

  /** Lookup (404) → authorize (403) → params (400) → validate (422). */
  async update(
    ctx: RequestContext,
    idOrCode: string,
    params: ParamsThunk<UpdateEntitlementBody>,
  ): Promise<Entitlement> {
    const caller = callerOf(ctx);
    const entitlement = await this.load(
      ctx,
      this.access(ctx, await this.heldEntitlementIds(ctx)),
      idOrCode,
    );
    enforce(entitlementPolicy.update(caller, entitlement));
    const attrs = params().data.attributes;
    const next = Object.assign(new Entitlement(), entitlement);
    if (attrs.name !== undefined) {
      next.name = attrs.name;
    }
    if (attrs.code !== undefined) {
      next.code = attrs.code;
    }
    if (attrs.metadata !== undefined) {
      next.metadata = attrs.metadata;
    }
    // Like Rails' uniqueness validator, every save re-checks the code against the others.
    const codeTaken = await this.repo.codeTakenInAccount(ctx.scope, next.code, entitlement.id);
    const errors = entitlementErrors(next, { codeTaken });
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }
    const patch: Partial<Entitlement> = {};
    if (next.name !== entitlement.name) {
      patch.name = next.name;
    }
    if (next.code !== entitlement.code) {
      patch.code = next.code;
    }
    if (JSON.stringify(next.metadata) !== JSON.stringify(entitlement.metadata)) {
      patch.metadata = next.metadata;
    }
    // Like Keygen, an update that changes nothing leaves `updated` alone.
    if (Object.keys(patch).length > 0) {
      next.updatedAt = ctx.clock.now();
      patch.updatedAt = next.updatedAt;
      await this.repo.update(ctx.scope, entitlement.id, patch);
    }
    this.emit('entitlement.updated', ctx, next, diffOf(entitlement, next));
    return next;
  }

  /** Deletes the entitlement with every policy (and later license/release) attachment. */
  async destroy(ctx: RequestContext, idOrCode: string): Promise<void> {
    const caller = callerOf(ctx);
    const entitlement = await this.load(
      ctx,
      this.access(ctx, await this.heldEntitlementIds(ctx)),
      idOrCode,
    );
    enforce(entitlementPolicy.destroy(caller, entitlement));
    await this.repo.delete(ctx.scope, entitlement.id);
    this.emit('entitlement.deleted', ctx, entitlement);
  }

  /** Entitlements with these ids anywhere in the account (attach/detach targets). */
  findManyInAccount(ctx: RequestContext, ids: readonly string[]): Promise<Entitlement[]> {
    return this.repo.findManyInAccount(ctx.scope, ids);
  }

  private access(ctx: RequestContext, held: readonly string[]): EntitlementAccess {
    return entitlementPolicy.scope(callerOf(ctx).bearer, held);
  }

  /**
   * Entitlements the caller holds through licenses (policy ∪ license attachments).
   * From the licenses module when it is loaded.
   */
  private async heldEntitlementIds(ctx: RequestContext): Promise<string[]> {
    return this.holdings ? this.holdings.entitlementIds(ctx.scope, ctx.bearer) : [];
  }

  private async load(
    ctx: RequestContext,
    access: EntitlementAccess,
    idOrCode: string,
  ): Promise<Entitlement> {
    const entitlement =
      idOrCode === '' ? null : await this.repo.findByAlias(ctx.scope, access, idOrCode);
    if (!entitlement) {
      throw NotFoundError.record('entitlement', idOrCode);
    }
    return entitlement;
  }

  private emit(
    name: EntitlementEvent,
    ctx: RequestContext,
    entitlement: Entitlement,
    changes?: Record<string, [unknown, unknown]>,
  ): void {
    this.events.emit(
      name,
      ctx,
      {
        type: 'entitlements',
        id: entitlement.id,
        record: entitlement,
        serializer: EntitlementSerializer as never,
      },
      changes ? { changes } : {},
    );
  }
}

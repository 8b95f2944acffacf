import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import { enforce } from '@app/common/auth/policy';
import type { AccountScope, RequestContext } from '@app/common/context/request-context';
import { NotFoundError, UnprocessableError } from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid, uuidv4 } from '@app/common/ids';
import { environmentCompatible } from '@app/modules/policies/policy-entitlement.rules';
import type { Policy } from '@app/modules/policies/policy.entity';
import { PoliciesService } from '@app/modules/policies/policies.service';
import { callerOf } from '@app/modules/tokens/token.policy';
import type { CreateKeyBody, UpdateKeyBody } from './dto/key.params';
import { Key } from './key.entity';
import { keyPolicy, type KeyAccess } from './key.policy';
import { keyErrors, NO_KEY_FACTS, type KeyFacts } from './key.rules';
import { KeySerializer } from './key.serializer';
import type { KeyView } from './key.view';
import { KeysRepository, type KeyListFilters } from './keys.repository';

export type KeyEvent = 'key.created' | 'key.updated' | 'key.deleted' | 'policy.pool.popped';

/** Pool keys CRUD (spec 02 §3), the lookups the key and pool routes share, and the pop. */
@Injectable()
export class KeysService {
  constructor(
    private readonly repo: KeysRepository,
    private readonly policies: PoliciesService,
    private readonly events: DomainEvents,
  ) {}

  /** compat: scoped, then authorized as a whole (users and licenses: 403, not an empty list). */
  async index(
    ctx: RequestContext,
    query: Record<string, unknown>,
    pagination: Pagination,
  ): Promise<ListResult<KeyView>> {
    const caller = callerOf(ctx);
    const page = await this.repo.list(ctx.scope, this.access(ctx), listFilters(query), pagination);
    enforce(keyPolicy.index(caller, page.rows));
    return page;
  }

  async show(ctx: RequestContext, id: string): Promise<KeyView> {
    const caller = callerOf(ctx);
    const key = await this.findAddressable(ctx, id);
    enforce(keyPolicy.show(caller, key));
    return key;
  }

  /** Params (400) → authorize (403) → validate (422) → save. */
  async create(ctx: RequestContext, body: CreateKeyBody): Promise<KeyView> {
    const caller = callerOf(ctx);
    const { attributes, relationships } = body.data;
    const policyId = relationships.policy.data.id;
    const policy = await this.policies.findByIdInAccount(ctx, policyId);
    const env = relationships.environment;
    const now = ctx.clock.now();
    const key: KeyView = Object.assign(new Key(), {
      id: uuidv4(),
      accountId: ctx.scope.accountId,
      // Keygen: the explicit environment, else the current one, else the policy's.
      environmentId: env
        ? (env.data?.id ?? null)
        : (ctx.scope.environmentId ?? policy?.environmentId ?? null),
      policyId,
      key: attributes.key,
      createdAt: now,
      updatedAt: now,
      productId: policy?.productId ?? '',
    });
    enforce(
      keyPolicy.create(caller, {
        environmentId: key.environmentId,
        productId: policy?.productId ?? null,
      }),
    );
    const errors = keyErrors(key.key, {
      ...(await this.keyFacts(ctx.scope, key.key)),
      policyMissing: policy === null,
      policyUnpooled: policy !== null && !policy.usePool,
      environmentIncompatible: policy !== null && !fitsPolicy(ctx, key, policy),
    });
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }
    await this.repo.insert(ctx.scope, key);
    this.emit('key.created', ctx, key);
    return key;
  }

  /** Lookup (404) → authorize (403) → params (400) → validate (422). Only `key` changes. */
  async update(
    ctx: RequestContext,
    id: string,
    params: ParamsThunk<UpdateKeyBody>,
  ): Promise<KeyView> {
    const caller = callerOf(ctx);
    const key = await this.findAddressable(ctx, id);
    enforce(keyPolicy.update(caller, key));
    const next: KeyView = Object.assign(new Key(), key, {
      key: params().data.attributes.key ?? key.key,
    });
    // Like Rails' validations, every save re-checks the key, changed or not.
    const errors = keyErrors(next.key, await this.keyFacts(ctx.scope, next.key, key.id));
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }
    // Like Keygen, an update that changes nothing leaves `updated` alone.
    if (next.key !== key.key) {
      next.updatedAt = ctx.clock.now();
      await this.repo.updateKey(ctx.scope, key.id, next.key, next.updatedAt);
    }
    this.emit('key.updated', ctx, next);
    return next;
  }

  async destroy(ctx: RequestContext, id: string): Promise<void> {
    const caller = callerOf(ctx);
    const key = await this.findAddressable(ctx, id);
    enforce(keyPolicy.destroy(caller, key));
    await this.repo.delete(ctx.scope, key.id);
    this.emit('key.deleted', ctx, key);
  }

  /**
   * For license creation on a pooled policy (spec 02 §4.4): removes and returns one
   * key of the policy's pool inside the caller's transaction `m`, or null when the
   * pool is empty. Concurrent callers never get the same key (the row is locked and
   * locked rows are skipped); the key returns to the pool if `m` rolls back. Emits
   * no event: a pop during license creation is not a `policy.pool.popped`.
   */
  popForLicense(scope: AccountScope, policyId: string, m: EntityManager): Promise<Key | null> {
    return this.repo.pop(scope, policyId, m);
  }

  /** The key a route addresses (UUID only) within the caller's scope, else 404. */
  async findAddressable(ctx: RequestContext, id: string): Promise<KeyView> {
    const key = isUuidLike(id)
      ? await this.repo.findVisible(ctx.scope, this.access(ctx), normalizeUuid(id))
      : null;
    if (!key) {
      throw NotFoundError.record('key', id);
    }
    return key;
  }

  access(ctx: RequestContext): KeyAccess {
    return keyPolicy.scope(callerOf(ctx).bearer);
  }

  emit(name: KeyEvent, ctx: RequestContext, key: KeyView): void {
    this.events.emit(name, ctx, {
      type: 'keys',
      id: key.id,
      record: key,
      serializer: KeySerializer as never,
    });
  }

  /** Uniqueness among keys and conflicts with license ids and keys, all per account. */
  private async keyFacts(scope: AccountScope, key: string, exceptId?: string): Promise<KeyFacts> {
    const [keyTaken, conflictsWithLicenseId, conflictsWithLicenseKey] = await Promise.all([
      this.repo.keyTaken(scope, key, exceptId),
      this.repo.licenseHasId(scope, key),
      this.repo.licenseHasKey(scope, key),
    ]);
    return { ...NO_KEY_FACTS, keyTaken, conflictsWithLicenseId, conflictsWithLicenseKey };
  }
}

/** Whether the new key's environment suits its policy's (checked after the strict create rule). */
function fitsPolicy(ctx: RequestContext, key: Key, policy: Policy): boolean {
  const env =
    key.environmentId === null
      ? null
      : {
          id: key.environmentId,
          isolationStrategy: ctx.environment?.isolationStrategy ?? 'ISOLATED',
        };
  return environmentCompatible(env, policy.environmentId);
}

/** `policy` / `product` filters: a non-UUID matches nothing, a blank one is ignored (has_scope). */
function listFilters(query: Record<string, unknown>): KeyListFilters {
  const filters: KeyListFilters = {};
  const uuidOrNull = (v: string): string | null => (isUuidLike(v) ? normalizeUuid(v) : null);
  if (typeof query.policy === 'string' && query.policy !== '') {
    filters.policyId = uuidOrNull(query.policy);
  }
  if (typeof query.product === 'string' && query.product !== '') {
    filters.productId = uuidOrNull(query.product);
  }
  return filters;
}

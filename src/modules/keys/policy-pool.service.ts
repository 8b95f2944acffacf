import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { NotFoundError } from '@app/common/errors/api-error';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { PoliciesService } from '@app/modules/policies/policies.service';
import { callerOf } from '@app/modules/tokens/token.policy';
import { PoolEmptyError, PoolNotSupportedError } from './key.errors';
import { poolPolicy } from './key.policy';
import type { KeyView } from './key.view';
import { KeysRepository } from './keys.repository';
import { KeysService } from './keys.service';

/**
 * `/policies/{id}/pool[/{key}]` and the pop (spec 02 §2.1, §2.6). The policy is
 * looked up in the caller's scope first (404), then Policies::PoolPolicy decides.
 */
@Injectable()
export class PolicyPoolService {
  constructor(
    private readonly policies: PoliciesService,
    private readonly keys: KeysService,
    private readonly repo: KeysRepository,
  ) {}

  /** The policy's keys visible to the caller; an unpooled policy has none. */
  async index(
    ctx: RequestContext,
    policyId: string,
    pagination: Pagination,
  ): Promise<ListResult<KeyView>> {
    const caller = callerOf(ctx);
    const policy = await this.policies.findAddressable(ctx, policyId);
    const page = await this.repo.list(
      ctx.scope,
      this.keys.access(ctx),
      { policyId: policy.id },
      pagination,
    );
    enforce(poolPolicy.index(caller, policy, page.rows));
    return page;
  }

  /** compat: the key is looked up in the pool regardless of environment; the rule then checks it. */
  async show(ctx: RequestContext, policyId: string, keyId: string): Promise<KeyView> {
    const caller = callerOf(ctx);
    const policy = await this.policies.findAddressable(ctx, policyId);
    const key = isUuidLike(keyId)
      ? await this.repo.findInPool(ctx.scope, policy.id, normalizeUuid(keyId))
      : null;
    if (!key) {
      throw NotFoundError.record('key', keyId);
    }
    enforce(poolPolicy.show(caller, policy, key));
    return key;
  }

  /** Removes the newest key of the pool and returns it (200). */
  async pop(ctx: RequestContext, policyId: string): Promise<KeyView> {
    const caller = callerOf(ctx);
    const policy = await this.policies.findAddressable(ctx, policyId);
    enforce(poolPolicy.pop(caller, policy));
    if (!policy.usePool) {
      throw new PoolNotSupportedError();
    }
    const key = await this.repo.pop(ctx.scope, policy.id);
    if (!key) {
      throw new PoolEmptyError();
    }
    const popped: KeyView = Object.assign(key, { productId: policy.productId });
    this.keys.emit('policy.pool.popped', ctx, popped);
    return popped;
  }
}

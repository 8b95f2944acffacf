import { enforce } from '@app/common/auth/policy';
import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import type { RequestContext } from '@app/common/context/request-context';
import { TransactionRunner } from '@app/common/database/transaction';
import { NotFoundError, UnprocessableError } from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid, uuidv4 } from '@app/common/ids';
import type { Entitlement } from '@app/modules/entitlements/entitlement.entity';
import { EntitlementsService } from '@app/modules/entitlements/entitlements.service';
import { callerOf } from '@app/modules/tokens/token.policy';
import type { PolicyEntitlementsBody } from './dto/policy.params';
import { PolicyEntitlement } from './policy-entitlement.entity';
import { environmentCompatible, policyEntitlementErrors } from './policy-entitlement.rules';
import { PolicyEntitlementSerializer } from './policy-entitlement.serializer';
import { PolicyEntitlementsRepository } from './policy-entitlements.repository';
import type { Policy } from './policy.entity';
import { policyEntitlementsPolicy } from './policy.policy';
import { PoliciesService } from './policies.service';

/** `/policies/{id}/entitlements`: list, show, attach, detach (spec 02 §10.3). */
@Injectable()
export class PolicyEntitlementsService {
  constructor(
    private readonly repo: PolicyEntitlementsRepository,
    private readonly policies: PoliciesService,
    private readonly entitlements: EntitlementsService,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  async index(
    ctx: RequestContext,
    policyId: string,
    pagination: Pagination,
  ): Promise<ListResult<Entitlement>> {
    const caller = callerOf(ctx);
    const policy = await this.policies.findAddressable(ctx, policyId);
    const page = await this.repo.listEntitlements(ctx.scope, policy.id, pagination);
    enforce(policyEntitlementsPolicy.index(caller, policy));
    return page;
  }

  async show(ctx: RequestContext, policyId: string, entitlementId: string): Promise<Entitlement> {
    const caller = callerOf(ctx);
    const policy = await this.policies.findAddressable(ctx, policyId);
    const entitlement = isUuidLike(entitlementId)
      ? await this.repo.findEntitlement(ctx.scope, policy.id, normalizeUuid(entitlementId))
      : null;
    if (!entitlement) {
      throw NotFoundError.record('entitlement', entitlementId);
    }
    enforce(policyEntitlementsPolicy.show(caller, policy, entitlement));
    return entitlement;
  }

  /**
   * Lookup (404) → params (400) → authorize (403) → each new row is validated in
   * order; the first invalid one fails the whole request (422, nothing attached).
   */
  async attach(
    ctx: RequestContext,
    policyId: string,
    params: ParamsThunk<PolicyEntitlementsBody>,
  ): Promise<PolicyEntitlement[]> {
    const caller = callerOf(ctx);
    const policy = await this.policies.findAddressable(ctx, policyId);
    const ids = params().data.map((d) => d.id);
    const found = await this.entitlements.findManyInAccount(ctx, ids);
    enforce(policyEntitlementsPolicy.attach(caller, policy, found));

    const byId = new Map(found.map((e) => [e.id, e]));
    const attached = new Set(
      (await this.repo.findAttached(ctx.scope, policy.id, ids)).map((pe) => pe.entitlementId),
    );
    const now = ctx.clock.now();
    // The current environment, else the policy's: a global request only reaches global policies.
    const rowEnv = ctx.environment
      ? { id: ctx.environment.id, isolationStrategy: ctx.environment.isolationStrategy }
      : null;
    const rows: PolicyEntitlement[] = [];
    for (const id of ids) {
      const entitlement = byId.get(id);
      const errors = policyEntitlementErrors({
        entitlementFound: entitlement !== undefined,
        environmentCompatible:
          environmentCompatible(rowEnv, policy.environmentId) &&
          (entitlement === undefined || environmentCompatible(rowEnv, entitlement.environmentId)),
        taken: attached.has(id),
      });
      if (errors.length > 0) {
        throw new UnprocessableError(errors);
      }
      attached.add(id);
      rows.push(
        Object.assign(new PolicyEntitlement(), {
          id: uuidv4(),
          accountId: ctx.scope.accountId,
          environmentId: rowEnv?.id ?? null,
          policyId: policy.id,
          entitlementId: id,
          createdAt: now,
          updatedAt: now,
        }),
      );
    }
    await this.tx.run((m) => this.repo.insertMany(ctx.scope, rows, m));
    this.emit('policy.entitlements.attached', ctx, policy, rows);
    return rows;
  }

  /** Every listed entitlement must be attached, else 422 and nothing is detached. */
  async detach(
    ctx: RequestContext,
    policyId: string,
    params: ParamsThunk<PolicyEntitlementsBody>,
  ): Promise<void> {
    const caller = callerOf(ctx);
    const policy = await this.policies.findAddressable(ctx, policyId);
    const ids = params().data.map((d) => d.id);
    const found = await this.entitlements.findManyInAccount(ctx, ids);
    enforce(policyEntitlementsPolicy.detach(caller, policy, found));

    const rows = await this.repo.findAttached(ctx.scope, policy.id, ids);
    if (rows.length !== ids.length) {
      const attached = new Set(rows.map((r) => r.entitlementId));
      // compat: Keygen subtracts sets, so a duplicated id reports an empty id and index.
      const invalid = ids.find((id) => !attached.has(id));
      const index = invalid === undefined ? '' : String(ids.indexOf(invalid));
      throw new UnprocessableError(
        {
          detail: `cannot detach entitlement '${invalid ?? ''}' (entitlement is not attached)`,
          source: { pointer: `/data/${index}` },
        },
        'Unprocessable entity',
      );
    }
    await this.tx.run((m) =>
      this.repo.deleteMany(
        ctx.scope,
        rows.map((r) => r.id),
        m,
      ),
    );
    this.emit('policy.entitlements.detached', ctx, policy, rows);
  }

  /** The event's record is the list of join rows attached or detached. */
  private emit(name: string, ctx: RequestContext, policy: Policy, rows: PolicyEntitlement[]): void {
    this.events.emit(name, ctx, {
      type: 'policy-entitlements',
      id: policy.id,
      record: rows,
      serializer: PolicyEntitlementSerializer as never,
    });
  }
}

import { Injectable } from '@nestjs/common';
import { addDuration } from '@libs/licensing';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { TransactionRunner } from '@app/common/database/transaction';
import { NotFoundError, UnprocessableError } from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { Policy } from '@app/modules/policies/policy.entity';
import type { Product } from '@app/modules/products/product.entity';
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
  maxMachinesOverrideError,
  mustExist,
  policyIncompatibility,
  rel,
  renderModelErrors,
  type ModelError,
} from './license-relationships.rules';

/** `GET/PUT /licenses/{id}/policy` and `GET /licenses/{id}/product` (spec 02 §4.1, §4.8). */
@Injectable()
export class LicensePolicyService {
  constructor(
    private readonly lookup: LicenseLookup,
    private readonly licenses: LicensesRepository,
    private readonly repo: LicenseRelationshipsRepository,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  async policy(ctx: RequestContext, idOrKey: string): Promise<Policy> {
    const { view, facts, caller } = await this.lookup.find(ctx, idOrKey);
    enforce(licensePolicy.readRelated(caller, facts, 'policy.read', related.one(view.policy)));
    return view.policy;
  }

  async product(ctx: RequestContext, idOrKey: string): Promise<Product> {
    const { view, facts, caller } = await this.lookup.find(ctx, idOrKey);
    const product = await this.repo.productInAccount(ctx.scope, view.productId);
    if (!product) {
      throw new NotFoundError('The requested product was not found');
    }
    enforce(licensePolicy.readRelated(caller, facts, 'product.read', related.one(product)));
    return product;
  }

  /**
   * Transfers the license: lookup (404) → params (400) → the new policy in the account
   * → authorize against it (403) → validation (422) → the license and its machines
   * follow the policy and its product; RESET_EXPIRY restarts the expiry.
   */
  async change(
    ctx: RequestContext,
    idOrKey: string,
    params: ParamsThunk<ToOneBody>,
  ): Promise<LicenseView> {
    const { view, facts, caller } = await this.lookup.find(ctx, idOrKey);
    const id = params().data?.id ?? '';
    const next = await this.repo.policyInAccount(ctx.scope, id);
    enforce(licensePolicy.changePolicy(caller, facts, next, related.one(next)));

    const now = ctx.clock.now();
    const updated = await this.tx.run(async (m) => {
      const row = await this.licenses.lockById(m, ctx.scope, view.id);
      if (!row) {
        throw NotFoundError.record('license', idOrKey);
      }
      const prev = await this.repo.policyInAccount(ctx.scope, row.policyId, m);
      const errors = await this.errors(ctx, row, prev, next);
      if (errors.length > 0 || !next) {
        throw new UnprocessableError(renderModelErrors(errors, 'licenses'));
      }
      const expiry =
        next.transferStrategy === 'RESET_EXPIRY'
          ? next.duration !== null
            ? addDuration(now, next.duration)
            : null
          : row.expiry;
      await this.repo.transfer(m, ctx.scope, row.id, next, { expiry, updatedAt: now });
      return Object.assign(new License(), row, {
        policyId: next.id,
        productId: next.productId,
        expiry,
        updatedAt: now,
      });
    });
    const result = await this.licenses.view(updated, now);
    emitLicenseEvent(this.events, 'license.policy.updated', ctx, result);
    return result;
  }

  /** The license model's errors for the transfer, in Keygen's declaration order. */
  private async errors(
    ctx: RequestContext,
    row: License,
    prev: Policy | null,
    next: Policy | null,
  ): Promise<ModelError[]> {
    const errors: ModelError[] = [];
    if (!next) {
      errors.push(mustExist('policy'));
      return errors;
    }
    const env = licenseEnvironment(ctx, row);
    if (!associationFits(env, next.environmentId)) {
      errors.push(environmentNotAllowed('policy'));
    }
    const product = await this.repo.productInAccount(ctx.scope, next.productId);
    if (product && !associationFits(env, product.environmentId)) {
      errors.push(environmentNotAllowed('product'));
    }
    const incompatible = prev ? policyIncompatibility(prev, next) : null;
    if (incompatible) {
      errors.push(rel('policy', 'POLICY_NOT_COMPATIBLE', incompatible));
    }
    const override = maxMachinesOverrideError(row.maxMachines, next);
    if (override) {
      errors.push(override);
    }
    return errors;
  }
}

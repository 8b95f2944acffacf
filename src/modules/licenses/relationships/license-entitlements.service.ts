import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { TransactionRunner } from '@app/common/database/transaction';
import { NotFoundError } from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import type { Entitlement } from '@app/modules/entitlements/entitlement.entity';
import { LicenseEntitlement } from '../license.entity';
import { LicenseLookup } from '../license-lookup.service';
import { licensePolicy, related } from '../license.policy';
import type { LicenseView } from '../license.view';
import { LicensesRepository } from '../licenses.repository';
import type { ToManyBody } from './dto/license-relationships.params';
import { LicenseEntitlementSerializer } from './license-entitlement.serializer';
import { LicenseEntitlementsRepository } from './license-entitlements.repository';
import { joinRowEnvironment } from './license-relationship-events';
import { associationFits, rel } from './license-relationships.rules';
import { attachAll, cannotDetach, joinRowColumns, notAttached } from './license-to-many';

/**
 * `/licenses/{id}/entitlements` (spec 02 §10.3, §10.4): the effective set (policy ∪
 * license) and attaching or detaching the license's own, all or nothing.
 */
@Injectable()
export class LicenseEntitlementsService {
  constructor(
    private readonly lookup: LicenseLookup,
    private readonly licenses: LicensesRepository,
    private readonly repo: LicenseEntitlementsRepository,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  async index(
    ctx: RequestContext,
    idOrKey: string,
    pagination: Pagination,
  ): Promise<ListResult<Entitlement>> {
    const { view, facts, caller } = await this.lookup.find(ctx, idOrKey);
    const page = await this.repo.list(ctx.scope, view, pagination);
    enforce(licensePolicy.readRelated(caller, facts, 'entitlement.read', related.many(page.rows)));
    return page;
  }

  /** By id only (no code alias, like Keygen's `license.entitlements.find`). */
  async show(ctx: RequestContext, idOrKey: string, entitlementId: string): Promise<Entitlement> {
    const { view, facts, caller } = await this.lookup.find(ctx, idOrKey);
    const entitlement = isUuidLike(entitlementId)
      ? await this.repo.find(ctx.scope, view, normalizeUuid(entitlementId))
      : null;
    if (!entitlement) {
      throw NotFoundError.record('entitlement', entitlementId);
    }
    enforce(licensePolicy.readRelated(caller, facts, 'entitlement.read', related.one(entitlement)));
    return entitlement;
  }

  /**
   * Lookup (404) → params (400) → authorize against the named entitlements found
   * (403) → each new row validated in order (422: the first invalid row's errors,
   * nothing attached) → insert.
   */
  async attach(
    ctx: RequestContext,
    idOrKey: string,
    params: ParamsThunk<ToManyBody>,
  ): Promise<LicenseEntitlement[]> {
    const { view, ids, found } = await this.authorize(
      ctx,
      idOrKey,
      params,
      'license.entitlements.attach',
    );
    const now = ctx.clock.now();
    const rowEnv = joinRowEnvironment(ctx, view);
    const rows = await this.tx.run(async (m) => {
      const row = await this.licenses.lockById(m, ctx.scope, view.id);
      if (!row) {
        throw NotFoundError.record('license', idOrKey);
      }
      const attached = new Set(
        (await this.repo.attached(m, row.id, ids)).map((le) => le.entitlementId),
      );
      const fromPolicy = await this.repo.ofPolicy(m, row.policyId, ids);
      const out = attachAll(ids, {
        name: 'entitlement',
        topic: 'entitlements',
        found,
        licenseFits: associationFits(rowEnv, row.environmentId),
        fits: (e) => associationFits(rowEnv, e.environmentId),
        attached,
        more: (id) =>
          fromPolicy.has(id)
            ? [
                rel(
                  'entitlement',
                  'ENTITLEMENT_CONFLICT',
                  'already exists (entitlement is attached through policy)',
                ),
              ]
            : [],
        row: (id) =>
          Object.assign(new LicenseEntitlement(), joinRowColumns(ctx, row.id, rowEnv, now), {
            entitlementId: id,
          }),
      });
      await this.repo.insert(m, ctx.scope, out);
      return out;
    });
    this.emit('license.entitlements.attached', ctx, view, rows);
    return rows;
  }

  /**
   * Only the license's own entitlements detach: one inherited from the policy is a
   * 403, one not attached a 422, and nothing is detached.
   */
  async detach(
    ctx: RequestContext,
    idOrKey: string,
    params: ParamsThunk<ToManyBody>,
  ): Promise<void> {
    const { view, ids } = await this.authorize(ctx, idOrKey, params, 'license.entitlements.detach');
    const rows = await this.tx.run(async (m) => {
      const fromPolicy = await this.repo.ofPolicy(m, view.policyId, ids);
      const inherited = ids.find((id) => fromPolicy.has(id));
      if (inherited !== undefined) {
        throw cannotDetach('entitlement', inherited, ids, 'entitlement is attached through policy');
      }
      const attached = await this.repo.attached(m, view.id, ids);
      if (attached.length !== ids.length) {
        throw notAttached('entitlement', ids, new Set(attached.map((le) => le.entitlementId)));
      }
      await this.repo.delete(m, ctx.scope, attached);
      return attached;
    });
    this.emit('license.entitlements.detached', ctx, view, rows);
  }

  /** Lookup (404) → params (400) → authorize against the named entitlements found (403). */
  private async authorize(
    ctx: RequestContext,
    idOrKey: string,
    params: ParamsThunk<ToManyBody>,
    permission: 'license.entitlements.attach' | 'license.entitlements.detach',
  ): Promise<{ view: LicenseView; ids: string[]; found: Entitlement[] }> {
    const { view, facts, caller } = await this.lookup.find(ctx, idOrKey);
    const ids = params().data.map((d) => d.id);
    const found = await this.repo.entitlementsInAccount(ctx.scope, ids);
    enforce(licensePolicy.attachEntitlements(caller, facts, permission, related.many(found)));
    return { view, ids, found };
  }

  /** The event's record is the list of join rows attached or detached. */
  private emit(
    name: string,
    ctx: RequestContext,
    license: LicenseView,
    rows: LicenseEntitlement[],
  ): void {
    this.events.emit(name, ctx, {
      type: 'license-entitlements',
      id: license.id,
      record: rows,
      serializer: LicenseEntitlementSerializer as never,
    });
  }
}

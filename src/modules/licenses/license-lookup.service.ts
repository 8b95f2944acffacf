import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { enforce, type Decision } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { NotFoundError } from '@app/common/errors/api-error';
import { callerOf, type Caller } from '@app/modules/tokens/token.policy';
import type { License } from './license.entity';
import {
  licenseFacts,
  licensePolicy,
  type LicenseAccess,
  type LicenseFacts,
} from './license.policy';
import type { LicenseView } from './license.view';
import { LicensesRepository } from './licenses.repository';

/** A license found for a route, with what its rules need. */
export interface FoundLicense {
  view: LicenseView;
  facts: LicenseFacts;
  caller: Caller;
}

/**
 * The one way every license route finds its license: `{id|key}` within the
 * bearer's scope (404 `The requested license '<id>' was not found` otherwise),
 * loaded as a view, then the route's rule (403).
 */
@Injectable()
export class LicenseLookup {
  constructor(private readonly repo: LicensesRepository) {}

  access(ctx: RequestContext): LicenseAccess {
    return licensePolicy.scope(callerOf(ctx).bearer);
  }

  /** Finds the license or 404s; does not authorize. */
  async find(ctx: RequestContext, idOrKey: string, m?: EntityManager): Promise<FoundLicense> {
    const caller = callerOf(ctx);
    const row =
      idOrKey === '' ? null : await this.repo.findByAlias(ctx.scope, this.access(ctx), idOrKey, m);
    if (!row) {
      throw NotFoundError.record('license', idOrKey);
    }
    return this.found(ctx, caller, row, m);
  }

  /** Finds the license, then enforces `rule` on it (404 before 403). */
  async authorize(
    ctx: RequestContext,
    idOrKey: string,
    rule: (c: Caller, l: LicenseFacts) => Decision,
    m?: EntityManager,
  ): Promise<FoundLicense> {
    const found = await this.find(ctx, idOrKey, m);
    enforce(rule(found.caller, found.facts));
    return found;
  }

  /** A row already in hand → view + facts. */
  async found(
    ctx: RequestContext,
    caller: Caller,
    row: License,
    m?: EntityManager,
  ): Promise<FoundLicense> {
    const view = await this.repo.view(row, ctx.clock.now(), m);
    const licensee =
      caller.bearer.role === 'user' && row.ownerId !== caller.bearer.id
        ? await this.repo.isLicensee(row.id, caller.bearer.id)
        : false;
    return { view, facts: licenseFacts(row, view.policy, licensee), caller };
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { Bearer } from '@app/common/auth/bearer';
import type { AccountScope } from '@app/common/context/request-context';
import { LicenseHoldings, holdsLicenses } from '@app/common/licensing/holdings';
import { License } from './license.entity';

/**
 * The licenses a bearer holds, as a SQL fragment over `licenses l`: a user's owned
 * or attached licenses in the account (Keygen's `user.licenses`, any environment),
 * a license itself. $1 = account id, $2 = bearer id.
 */
function heldLicenses(bearer: Bearer): string {
  return bearer.role === 'license'
    ? 'l.account_id = $1 AND l.id = $2'
    : `l.account_id = $1 AND (l.owner_id = $2 OR EXISTS (
         SELECT 1 FROM license_users lu WHERE lu.license_id = l.id AND lu.user_id = $2))`;
}

/** LicenseHoldings over the licenses tables (provided globally by LicenseHoldingsModule). */
@Injectable()
export class LicenseHoldingsRepository extends LicenseHoldings {
  constructor(@InjectRepository(License) private readonly repo: Repository<License>) {
    super();
  }

  async productIds(scope: AccountScope, bearer: Bearer | null): Promise<string[]> {
    if (!holdsLicenses(bearer)) {
      return [];
    }
    return this.ids(
      `SELECT DISTINCT l.product_id AS id FROM licenses l WHERE ${heldLicenses(bearer)}`,
      scope,
      bearer,
    );
  }

  async policyIds(scope: AccountScope, bearer: Bearer | null): Promise<string[]> {
    if (!holdsLicenses(bearer)) {
      return [];
    }
    return this.ids(
      `SELECT DISTINCT l.policy_id AS id FROM licenses l WHERE ${heldLicenses(bearer)}`,
      scope,
      bearer,
    );
  }

  async entitlementIds(scope: AccountScope, bearer: Bearer | null): Promise<string[]> {
    if (!holdsLicenses(bearer)) {
      return [];
    }
    const held = heldLicenses(bearer);
    return this.ids(
      `SELECT pe.entitlement_id AS id FROM policy_entitlements pe
         WHERE pe.policy_id IN (SELECT l.policy_id FROM licenses l WHERE ${held})
       UNION
       SELECT le.entitlement_id AS id FROM license_entitlements le
         WHERE le.license_id IN (SELECT l.id FROM licenses l WHERE ${held})`,
      scope,
      bearer,
    );
  }

  private async ids(sql: string, scope: AccountScope, bearer: Bearer): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.repo.query(sql, [scope.accountId, bearer.id]);
    return rows.map((r) => r.id);
  }
}

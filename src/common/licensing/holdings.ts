import type { Bearer } from '../auth/bearer';
import type { AccountScope } from '../context/request-context';

/**
 * What a bearer holds through licenses (spec 02 §1.1, §2.1, §10): a user the
 * licenses it owns or is attached to, a license itself. Products, policies and
 * entitlements read it to decide what users and licenses may see, without
 * importing the licenses module (which sits above them). The licenses module
 * provides it globally; other bearers hold nothing.
 */
export abstract class LicenseHoldings {
  /** Products of the held licenses. */
  abstract productIds(scope: AccountScope, bearer: Bearer | null): Promise<string[]>;
  /** Policies of the held licenses. */
  abstract policyIds(scope: AccountScope, bearer: Bearer | null): Promise<string[]>;
  /** Entitlements of the held licenses: their policies' and their own attachments. */
  abstract entitlementIds(scope: AccountScope, bearer: Bearer | null): Promise<string[]>;
}

/** Whether a bearer can hold licenses at all (so callers skip the lookup for others). */
export function holdsLicenses(bearer: Bearer | null): bearer is Bearer {
  return bearer !== null && (bearer.role === 'user' || bearer.role === 'license');
}

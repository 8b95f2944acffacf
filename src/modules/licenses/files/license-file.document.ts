import type { Entitlement } from '@app/modules/entitlements/entitlement.entity';
import { EntitlementSerializer } from '@app/modules/entitlements/entitlement.serializer';
import type { Environment } from '@app/modules/environments/environment.entity';
import { EnvironmentSerializer } from '@app/modules/environments/environment.serializer';
import type { Group } from '@app/modules/groups/group.entity';
import { GroupSerializer } from '@app/modules/groups/group.serializer';
import { PolicySerializer } from '@app/modules/policies/policy.serializer';
import type { Product } from '@app/modules/products/product.entity';
import { ProductSerializer } from '@app/modules/products/product.serializer';
import type { User } from '@app/modules/users/user.entity';
import { UserSerializer } from '@app/modules/users/user.serializer';
import { LicenseSerializer } from '../license.serializer';
import type { LicenseView } from '../license.view';
import { checkoutDocument, type CheckoutFileMeta } from './checkout-document';
import type { CheckoutInclude } from './checkout-options';

/** The records a license file carries besides the license, as loaded for its includes. */
export interface LicenseFileIncludes {
  entitlements?: Entitlement[];
  environment?: Environment | null;
  product?: Product | null;
  group?: Group | null;
  owner?: User | null;
  users?: User[];
}

/**
 * The certificate payload (spec 02 §9.3 rule 2): the license document with
 * `meta {issued, expiry, ttl}` and, when includes were asked for, `included[]` in the
 * order asked (each record once). Included to-many relationships (`users`,
 * `entitlements`) carry linkage, as in a JSON:API compound document. Every resource
 * is migrated to `apiVersion` the way its show response would be.
 */
export function licenseFileDocument(
  view: LicenseView,
  includes: readonly CheckoutInclude[],
  records: LicenseFileIncludes,
  meta: CheckoutFileMeta,
  apiVersion: string,
): Record<string, unknown> {
  const { data, add, addMany, build } = checkoutDocument(LicenseSerializer, view, meta, apiVersion);
  for (const name of includes) {
    switch (name) {
      case 'entitlements':
        addMany(data, 'entitlements', EntitlementSerializer, records.entitlements);
        break;
      case 'environment':
        add(EnvironmentSerializer, records.environment);
        break;
      case 'product':
        add(ProductSerializer, records.product);
        break;
      case 'policy':
        add(PolicySerializer, view.policy);
        break;
      case 'group':
        add(GroupSerializer, records.group);
        break;
      case 'owner':
        add(UserSerializer, records.owner);
        break;
      case 'users':
        addMany(data, 'users', UserSerializer, records.users);
        break;
    }
  }
  return build('omit');
}

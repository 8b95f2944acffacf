import { renderResource } from '@libs/jsonapi';
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
import {
  checkoutMeta,
  checkoutRenderContext,
  includedCollector,
  linkMany,
  migrateAsShow,
  type CheckoutFileMeta,
} from './checkout-document';
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
  const ctx = checkoutRenderContext(view.accountId, meta.issued);
  const data = renderResource(LicenseSerializer, view, ctx);
  const { included, add } = includedCollector(ctx);
  for (const name of includes) {
    switch (name) {
      case 'entitlements':
        linkMany(data, 'entitlements', 'entitlements', records.entitlements ?? []);
        records.entitlements?.forEach((e) => add(EntitlementSerializer, e));
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
        linkMany(data, 'users', 'users', records.users ?? []);
        records.users?.forEach((u) => add(UserSerializer, u));
        break;
    }
  }
  const doc: Record<string, unknown> = { data: migrateAsShow(data, apiVersion) };
  if (included.length > 0) {
    doc.included = included.map((r) => migrateAsShow(r, apiVersion));
  }
  doc.meta = checkoutMeta(meta);
  return doc;
}

import type { ResourceObject } from '@libs/jsonapi';
import type { Entitlement } from '@app/modules/entitlements/entitlement.entity';
import { EntitlementSerializer } from '@app/modules/entitlements/entitlement.serializer';
import type { Environment } from '@app/modules/environments/environment.entity';
import { EnvironmentSerializer } from '@app/modules/environments/environment.serializer';
import type { Group } from '@app/modules/groups/group.entity';
import { GroupSerializer } from '@app/modules/groups/group.serializer';
import {
  checkoutDocument,
  type CheckoutFileMeta,
} from '@app/modules/licenses/files/checkout-document';
import { LicenseSerializer } from '@app/modules/licenses/license.serializer';
import type { LicenseView } from '@app/modules/licenses/license.view';
import { PolicySerializer } from '@app/modules/policies/policy.serializer';
import type { Product } from '@app/modules/products/product.entity';
import { ProductSerializer } from '@app/modules/products/product.serializer';
import type { User } from '@app/modules/users/user.entity';
import { UserSerializer } from '@app/modules/users/user.serializer';
import { ComponentSerializer, type ComponentView } from '../machine-component.serializer';
import { MachineSerializer } from '../machine.serializer';
import type { MachineView } from '../machine.view';
import type { MachineCheckoutInclude } from './machine-checkout-options';

/** The records a machine file carries besides the machine, loaded for its includes. */
export interface MachineFileRecords {
  license?: LicenseView | null;
  entitlements?: Entitlement[];
  product?: Product | null;
  licenseOwner?: User | null;
  licenseUsers?: User[];
  components?: ComponentView[];
  environment?: Environment | null;
  group?: Group | null;
  owner?: User | null;
}

/**
 * The certificate payload (spec 03 §1.9.3 rule 2): the machine document with
 * `included` (always present) and `meta {issued, expiry, ttl}`. A nested include pulls
 * in its intermediate resource (`license.policy` includes the license); included
 * to-many relationships (`components`, the license's `users`/`entitlements`) carry
 * linkage. Every resource is migrated to `apiVersion` like its show response.
 */
export function machineFileDocument(
  machine: MachineView,
  includes: readonly MachineCheckoutInclude[],
  records: MachineFileRecords,
  meta: CheckoutFileMeta,
  apiVersion: string,
): Record<string, unknown> {
  const { data, add, addMany, build } = checkoutDocument(
    MachineSerializer,
    machine,
    meta,
    apiVersion,
  );
  const license = (): ResourceObject | null => add(LicenseSerializer, records.license);

  for (const name of includes) {
    switch (name) {
      case 'license':
        license();
        break;
      case 'license.entitlements':
        addMany(license(), 'entitlements', EntitlementSerializer, records.entitlements);
        break;
      case 'license.product':
        license();
        add(ProductSerializer, records.product);
        break;
      case 'license.policy':
        license();
        add(PolicySerializer, records.license?.policy);
        break;
      case 'license.owner':
        license();
        add(UserSerializer, records.licenseOwner);
        break;
      case 'license.users':
        addMany(license(), 'users', UserSerializer, records.licenseUsers);
        break;
      case 'components':
        addMany(data, 'components', ComponentSerializer, records.components);
        break;
      case 'environment':
        add(EnvironmentSerializer, records.environment);
        break;
      case 'group':
        add(GroupSerializer, records.group);
        break;
      case 'owner':
        add(UserSerializer, records.owner);
        break;
    }
  }
  return build('keep');
}

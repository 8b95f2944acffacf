import {
  parseCheckoutOptions,
  type CheckoutOptions,
} from '@app/modules/licenses/files/checkout-options';
import type { CheckoutOptionsInput } from '@app/modules/licenses/files/dto/checkout.params';

/** What a machine file may include (spec 03 §1.9.2 rule 2). */
export const MACHINE_CHECKOUT_INCLUDES = [
  'license.entitlements',
  'license.product',
  'license.policy',
  'license.owner',
  'license.users',
  'license',
  'components',
  'environment',
  'group',
  'owner',
] as const;
export type MachineCheckoutInclude = (typeof MACHINE_CHECKOUT_INCLUDES)[number];

/** The read permission each include needs on top of `machine.read` (§1.9.2 rule 5). */
export const INCLUDE_PERMISSIONS: Record<MachineCheckoutInclude, string> = {
  'license.entitlements': 'entitlement.read',
  'license.owner': 'user.read',
  'license.users': 'user.read',
  'license.product': 'product.read',
  'license.policy': 'policy.read',
  environment: 'environment.read',
  license: 'license.read',
  owner: 'user.read',
  components: 'component.read',
  group: 'group.read',
};

export type MachineCheckoutOptions = CheckoutOptions<MachineCheckoutInclude>;

/** Machine-file options (spec 03 §1.9.2): the license-file rules with machine includes. */
export function resolveMachineCheckoutOptions(
  input: CheckoutOptionsInput,
  scheme: string | null,
): MachineCheckoutOptions {
  return parseCheckoutOptions(input, scheme, MACHINE_CHECKOUT_INCLUDES);
}

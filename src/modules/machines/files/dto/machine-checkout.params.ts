import { checkoutParams, renamedInclude } from '@app/modules/licenses/files/dto/checkout.params';

/**
 * Machine check-out options (spec 03 §1.9.1): the license-file schemas, where
 * `license.user` is the pre-1.6 name of `license.owner`.
 */
const machineParams = checkoutParams(renamedInclude('license.user', 'license.owner'));
export const MachineCheckoutQueryParams = machineParams.query;
export const MachineCheckoutBodyParams = machineParams.body;

import { checkoutFileSerializer, type CheckoutFile } from './checkout-file';

/** A checked-out license file (spec 02 §9.4); built per request, never stored. */
export type LicenseFile = CheckoutFile;

/** `license-files`: the shared file attributes and relationships, nothing of its own. */
export const LicenseFileSerializer = checkoutFileSerializer<LicenseFile>({
  type: 'license-files',
  self: (f) => `/v1/accounts/${f.accountId}/licenses/${f.licenseId}`,
});

import { defineSerializer, timestamp } from '@libs/jsonapi';
import type { LicenseUser } from '../license.entity';

const base = (lu: LicenseUser): string => `/v1/accounts/${lu.accountId}`;
const related = (lu: LicenseUser): string =>
  `${base(lu)}/licenses/${lu.licenseId}/users/${lu.userId}`;

/** `license-users` join resources (spec 02 §4.9). */
export const LicenseUserSerializer = defineSerializer<LicenseUser>({
  type: 'license-users',
  self: related,
  // compat: Keygen links join resources with `related` (the nested user), not `self`.
  links: (lu) => ({ related: related(lu) }),
  attributes: (lu) => ({
    created: timestamp(lu.createdAt),
    updated: timestamp(lu.updatedAt),
  }),
  relationships: {
    account: {
      linkage: (lu) => ({ type: 'accounts', id: lu.accountId }),
      related: base,
    },
    environment: {
      linkage: (lu) => (lu.environmentId ? { type: 'environments', id: lu.environmentId } : null),
      related: (lu) => (lu.environmentId ? `${base(lu)}/environments/${lu.environmentId}` : null),
    },
    license: {
      linkage: (lu) => ({ type: 'licenses', id: lu.licenseId }),
      related: (lu) => `${base(lu)}/licenses/${lu.licenseId}`,
    },
    user: {
      linkage: (lu) => ({ type: 'users', id: lu.userId }),
      related: (lu) => `${base(lu)}/users/${lu.userId}`,
    },
  },
});

import { ApiError, UnauthorizedError } from '@app/common/errors/api-error';
import type { LicenseKeyAuthFailure } from './license-auth.rules';

const LICENSE_ABOUT = 'https://keygen.sh/docs/api/authentication/#license-authentication';

const DETAILS: Record<LicenseKeyAuthFailure, string> = {
  LICENSE_BANNED: 'License is banned',
  LICENSE_SUSPENDED: 'License is suspended',
  LICENSE_EXPIRED: 'License is expired',
  LICENSE_NOT_ALLOWED: 'License key authentication is not allowed by policy',
};

/** 401 `LICENSE_INVALID`: no license with this key is visible here (spec 01 §1.4.1). */
export function licenseInvalid(): UnauthorizedError {
  return new UnauthorizedError('LICENSE_INVALID', undefined, { links: { about: LICENSE_ABOUT } });
}

/** The 403 of a matched key that may not authenticate; only LICENSE_NOT_ALLOWED links the docs. */
export function licenseKeyForbidden(code: LicenseKeyAuthFailure): ApiError {
  return new ApiError(403, [
    {
      title: 'Access denied',
      detail: DETAILS[code],
      code,
      ...(code === 'LICENSE_NOT_ALLOWED' ? { links: { about: LICENSE_ABOUT } } : {}),
    },
  ]);
}

import { ApiError, BadRequestError, UnprocessableError } from '@app/common/errors/api-error';
import { licenseError } from '../license.rules';

/** Action-level 422s (spec 02 §0.4): title `Unprocessable entity`, usually no code. */
const ACTION_TITLE = 'Unprocessable entity';

export class LicenseAlreadySuspendedError extends UnprocessableError {
  constructor() {
    super(
      { detail: 'is already suspended', source: { pointer: '/data/attributes/suspended' } },
      ACTION_TITLE,
    );
  }
}

export class LicenseNotSuspendedError extends UnprocessableError {
  constructor() {
    super(
      { detail: 'is not suspended', source: { pointer: '/data/attributes/suspended' } },
      ACTION_TITLE,
    );
  }
}

export class CheckInNotRequiredError extends UnprocessableError {
  constructor() {
    super({ detail: 'cannot be checked in because the policy does not require it' }, ACTION_TITLE);
  }
}

export class RenewWithoutDurationError extends UnprocessableError {
  constructor() {
    super(
      { detail: 'cannot be renewed because the policy does not have a duration' },
      ACTION_TITLE,
    );
  }
}

/**
 * compat: renewing a license without an expiry fails in Keygen's model without adding an
 * error, so it answers 422 with an empty `errors` array (spec 02 §7.2 rule 2).
 */
export class RenewWithoutExpiryError extends ApiError {
  constructor() {
    super(422, []);
  }
}

/** §8 rule 1: the new count is above the effective maxUses. */
export class UsesLimitExceededError extends UnprocessableError {
  constructor(maxUses: number) {
    super(
      licenseError(
        'attributes/uses',
        'USES_LIMIT_EXCEEDED',
        `usage exceeds maximum allowed for license (${maxUses})`,
      ),
    );
  }
}

/** §8 rule 2: the new count is negative. */
export class UsesInvalidError extends UnprocessableError {
  constructor() {
    super(licenseError('attributes/uses', 'USES_INVALID', 'must be greater than or equal to 0'));
  }
}

/** §8 rule 3: the new count does not fit the integer column. */
export class UsesTooLargeError extends BadRequestError {
  constructor(pointer: '/meta/increment' | '/meta/decrement') {
    super('integer is too large', { source: { pointer } });
  }
}

/**
 * §8 rule 4: another request holds the license row. compat: Keygen words it "increment"
 * for decrements too.
 */
export class UsageConflictError extends ApiError {
  constructor() {
    super(409, [
      {
        title: 'Conflict',
        detail: 'failed to increment due to another conflicting update',
        source: { pointer: '/data/attributes/uses' },
      },
    ]);
  }
}

import { BadRequestError } from '@app/common/errors/api-error';

/** §9.2 rule 1. */
export class CheckoutIncludeInvalidError extends BadRequestError {
  constructor() {
    super('invalid includes', {
      code: 'CHECKOUT_INCLUDE_INVALID',
      source: { parameter: 'include' },
    });
  }
}

/** §9.2 rule 2. */
export class CheckoutTtlInvalidError extends BadRequestError {
  constructor() {
    super('must be greater than or equal to 3600 (1 hour)', {
      code: 'CHECKOUT_TTL_INVALID',
      source: { parameter: 'ttl' },
    });
  }
}

/** §9.2 rule 3: `invalid encoding algorithm` or `invalid signing algorithm`. */
export class CheckoutAlgorithmInvalidError extends BadRequestError {
  constructor(detail: string) {
    super(detail, { code: 'CHECKOUT_ALGORITHM_INVALID', source: { parameter: 'algorithm' } });
  }
}

/**
 * A ttl so long the expiry falls outside the representable time range (Ruby would
 * still compute it); a 400 rather than a server error.
 */
export class CheckoutTtlTooLargeError extends BadRequestError {
  constructor() {
    super('integer is too large', { source: { parameter: 'ttl' } });
  }
}

import { NotFoundError, UnprocessableError, type ApiErrorItem } from '@app/common/errors/api-error';

const attrAbout = (attr: string): { about: string } => ({
  about: `https://keygen.sh/docs/api/tokens/#tokens-object-attrs-${attr}`,
});
const relAbout = (rel: string): { about: string } => ({
  about: `https://keygen.sh/docs/api/tokens/#tokens-object-relationships-${rel}`,
});

/** 422 `PERMISSIONS_NOT_ALLOWED` (spec 01 §2.5). */
export const PERMISSIONS_NOT_ALLOWED: ApiErrorItem = {
  detail: 'unsupported permissions',
  code: 'PERMISSIONS_NOT_ALLOWED',
  source: { pointer: '/data/attributes/permissions' },
  links: attrAbout('permissions'),
};

export const NAME_TOO_LONG: ApiErrorItem = {
  detail: 'is too long (maximum is 255 characters)',
  code: 'NAME_TOO_LONG',
  source: { pointer: '/data/attributes/name' },
  links: attrAbout('name'),
};

export const ENVIRONMENT_NOT_FOUND: ApiErrorItem = {
  detail: 'must exist',
  code: 'ENVIRONMENT_NOT_FOUND',
  source: { pointer: '/data/relationships/environment' },
  links: relAbout('environment'),
};

export const ENVIRONMENT_NOT_ALLOWED: ApiErrorItem = {
  detail: 'must be compatible with bearer environment',
  code: 'ENVIRONMENT_NOT_ALLOWED',
  source: { pointer: '/data/relationships/environment' },
  links: relAbout('environment'),
};

/** License tokens: a negative `maxActivations` / `maxDeactivations`. */
export const MAX_ACTIVATIONS_INVALID: ApiErrorItem = {
  detail: 'must be greater than or equal to 0',
  code: 'MAX_ACTIVATIONS_INVALID',
  source: { pointer: '/data/attributes/maxActivations' },
  links: attrAbout('maxActivations'),
};

export const MAX_DEACTIVATIONS_INVALID: ApiErrorItem = {
  detail: 'must be greater than or equal to 0',
  code: 'MAX_DEACTIVATIONS_INVALID',
  source: { pointer: '/data/attributes/maxDeactivations' },
  links: attrAbout('maxDeactivations'),
};

export class PermissionsNotAllowedError extends UnprocessableError {
  constructor() {
    super(PERMISSIONS_NOT_ALLOWED);
  }
}

/** `The requested token '<id>' was not found`. */
export function tokenNotFound(id: string): NotFoundError {
  return NotFoundError.record('token', id);
}

/** `PUT /tokens` without a current token (license-key auth). */
export function currentTokenNotFound(): NotFoundError {
  return new NotFoundError('The requested token was not found');
}

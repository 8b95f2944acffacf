import { ApiError, type ApiErrorItem } from '@app/common/errors/api-error';

const DOCS = 'https://keygen.sh/docs/api/users/#users-object';

/** A model-validation item on `/data/attributes/<attr>` with Keygen's docs link. */
export function attributeError(attr: string, code: string, detail: string): ApiErrorItem {
  return {
    code,
    detail,
    source: { pointer: `/data/attributes/${attr}` },
    links: { about: `${DOCS}-attrs-${attr}` },
  };
}

/** A model-validation item on `/data/relationships/<rel>` with Keygen's docs link. */
export function relationshipError(rel: string, code: string, detail: string): ApiErrorItem {
  return {
    code,
    detail,
    source: { pointer: `/data/relationships/${rel}` },
    links: { about: `${DOCS}-relationships-${rel}` },
  };
}

export const permissionsNotAllowed = (): ApiErrorItem =>
  attributeError('permissions', 'PERMISSIONS_NOT_ALLOWED', 'unsupported permissions');

export const groupNotFound = (): ApiErrorItem =>
  relationshipError('group', 'GROUP_NOT_FOUND', 'must exist');

export const ADMINS_REQUIRED = 'account must have at least 1 admin user';
export const FULL_ADMIN_REQUIRED =
  'account must have at least 1 admin user with a full permission set';

export const adminsRequired = (detail: string): ApiErrorItem =>
  relationshipError('account', 'ACCOUNT_ADMINS_REQUIRED', detail);

/** 401 without a code (Keygen's hand-rendered password action errors). */
export class PasswordActionUnauthorizedError extends ApiError {
  constructor(detail: string, pointer: string) {
    super(401, [{ title: 'Unauthorized', detail, source: { pointer } }]);
  }
}

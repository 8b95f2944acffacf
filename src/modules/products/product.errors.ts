import type { ApiErrorItem } from '@app/common/errors/api-error';

const DOCS = 'https://keygen.sh/docs/api/products/#products-object';

/** A model-validation item on `/data/attributes/<attr>` with Keygen's docs link. */
export function productAttributeError(attr: string, code: string, detail: string): ApiErrorItem {
  return {
    detail,
    code,
    source: { pointer: `/data/attributes/${attr}` },
    links: { about: `${DOCS}-attrs-${attr}` },
  };
}

/** A model-validation item on `/data/relationships/<rel>`. */
export function productRelationshipError(rel: string, code: string, detail: string): ApiErrorItem {
  return {
    detail,
    code,
    source: { pointer: `/data/relationships/${rel}` },
    links: { about: `${DOCS}-relationships-${rel}` },
  };
}

/** 422 raised while assigning unknown permissions, before authorization (spec 01 §2.5). */
export const productPermissionsNotAllowed = (): ApiErrorItem =>
  productAttributeError('permissions', 'PERMISSIONS_NOT_ALLOWED', 'unsupported permissions');

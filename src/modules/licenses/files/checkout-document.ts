import {
  renderResource,
  timestamp,
  type RenderContext,
  type ResourceObject,
  type Serializer,
} from '@libs/jsonapi';
import { applyResponseMigrations } from '@app/common/versioning/response-migrations';
import { CURRENT_API_VERSION } from '@app/common/versioning/versions';

/**
 * Building blocks shared by the license-file and machine-file certificate payloads
 * (spec 02 §9.3 rule 2, spec 03 §1.9.3 rule 2). Which records each file includes, and
 * whether `included` is always present, stay with each document.
 */

export interface CheckoutFileMeta {
  issued: Date;
  expiry: Date | null;
  ttl: number | null;
}

/** Renders at the current version (migrated later, per resource) as a check-out, no bearer. */
export function checkoutRenderContext(accountId: string, issued: Date): RenderContext {
  return { accountId, apiVersion: CURRENT_API_VERSION, now: issued, bearer: null, checkout: true };
}

export interface IncludedCollector {
  /** Rendered records, in the order first added. */
  readonly included: ResourceObject[];
  /** Renders and appends a record once (by type and id); returns its resource, or null. */
  readonly add: <T extends { id: string }>(
    s: Serializer<T>,
    r: T | null | undefined,
  ) => ResourceObject | null;
}

export function includedCollector(ctx: RenderContext): IncludedCollector {
  const included: ResourceObject[] = [];
  const seen = new Map<string, ResourceObject>();
  const add: IncludedCollector['add'] = (s, r) => {
    if (!r) {
      return null;
    }
    const key = `${s.type}:${r.id}`;
    let out = seen.get(key);
    if (!out) {
      out = renderResource(s, r, ctx);
      seen.set(key, out);
      included.push(out);
    }
    return out;
  };
  return { included, add };
}

/** Adds `data` linkage to a to-many relationship (members links, data, meta). */
export function linkMany(
  resource: ResourceObject,
  name: string,
  type: string,
  records: ReadonlyArray<{ id: string }>,
): void {
  const rel = resource.relationships?.[name];
  if (!rel || !resource.relationships) {
    return;
  }
  resource.relationships[name] = {
    ...(rel.links ? { links: rel.links } : {}),
    data: records.map((r) => ({ type, id: r.id })),
    ...(rel.meta ? { meta: rel.meta } : {}),
  };
}

/**
 * Keygen migrates the checkout document's data, not a route's response; the registered
 * migrations are route-scoped, so each resource goes through them as its own show response.
 */
export function migrateAsShow(resource: ResourceObject, apiVersion: string): ResourceObject {
  const body: Record<string, unknown> = { data: resource };
  applyResponseMigrations(apiVersion, {
    method: 'GET',
    route: `/v1/accounts/:account/${resource.type}/:id`,
    status: 200,
    body,
    headers: {},
  });
  return body.data as ResourceObject;
}

/** The document's top-level `meta {issued, expiry, ttl}`. */
export function checkoutMeta(meta: CheckoutFileMeta): Record<string, unknown> {
  return {
    issued: timestamp(meta.issued),
    expiry: meta.expiry ? timestamp(meta.expiry) : null,
    ttl: meta.ttl,
  };
}

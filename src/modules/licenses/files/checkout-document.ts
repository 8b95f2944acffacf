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
 * The certificate payload shared by license and machine files (spec 02 §9.3 rule 2,
 * spec 03 §1.9.3 rule 2): the primary resource, `included` records and
 * `meta {issued, expiry, ttl}`. Which records each file includes, and whether
 * `included` is always present, stay with each document.
 */

export interface CheckoutFileMeta {
  issued: Date;
  expiry: Date | null;
  ttl: number | null;
}

export interface CheckoutDocumentBuilder {
  /** The rendered primary resource (the license or the machine). */
  readonly data: ResourceObject;
  /**
   * Renders and appends a record to `included` once (by type and id); returns its
   * resource, or null.
   */
  readonly add: <T extends { id: string }>(
    s: Serializer<T>,
    r: T | null | undefined,
  ) => ResourceObject | null;
  /**
   * An included to-many relationship: gives `resource`'s relationship `name` linkage
   * to `records` (none loaded = empty), then adds each record.
   */
  readonly addMany: <T extends { id: string }>(
    resource: ResourceObject | null,
    name: string,
    s: Serializer<T>,
    records: readonly T[] | undefined,
  ) => void;
  /**
   * `{data, included, meta}`, each resource migrated to the request's version. A
   * license file omits an empty `included`; a machine file always carries one.
   */
  readonly build: (emptyIncluded: 'omit' | 'keep') => Record<string, unknown>;
}

/**
 * Starts a check-out document for `record`, rendered at the current version (migrated
 * in `build`, per resource) as a check-out with no bearer, `now` being the issue time.
 */
export function checkoutDocument<T extends { accountId: string }>(
  primary: Serializer<T>,
  record: T,
  meta: CheckoutFileMeta,
  apiVersion: string,
): CheckoutDocumentBuilder {
  const ctx: RenderContext = {
    accountId: record.accountId,
    apiVersion: CURRENT_API_VERSION,
    now: meta.issued,
    bearer: null,
    checkout: true,
  };
  const data = renderResource(primary, record, ctx);
  const included: ResourceObject[] = [];
  const seen = new Map<string, ResourceObject>();

  const add: CheckoutDocumentBuilder['add'] = (s, r) => {
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

  const addMany: CheckoutDocumentBuilder['addMany'] = (resource, name, s, records) => {
    if (resource) {
      linkMany(resource, name, s.type, records ?? []);
    }
    records?.forEach((r) => add(s, r));
  };

  const build: CheckoutDocumentBuilder['build'] = (emptyIncluded) => {
    const doc: Record<string, unknown> = { data: migrateAsShow(data, apiVersion) };
    if (included.length > 0 || emptyIncluded === 'keep') {
      doc.included = included.map((r) => migrateAsShow(r, apiVersion));
    }
    doc.meta = {
      issued: timestamp(meta.issued),
      expiry: meta.expiry ? timestamp(meta.expiry) : null,
      ttl: meta.ttl,
    };
    return doc;
  };

  return { data, add, addMany, build };
}

/** Adds `data` linkage to a to-many relationship (members links, data, meta). */
function linkMany(
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
function migrateAsShow(resource: ResourceObject, apiVersion: string): ResourceObject {
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

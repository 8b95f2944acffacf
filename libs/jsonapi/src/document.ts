/**
 * Declarative JSON:API serializers producing Keygen's document shape (spec §3.1, §3.2).
 */

/** Per-request rendering context. */
export interface RenderContext {
  accountId: string;
  apiVersion: string;
  now: Date;
  [k: string]: unknown;
}

/** Resource identifier `{ type, id }`. */
export interface ResourceIdentifier {
  type: string;
  id: string;
}

/** To-one relationship: `{ links: { related }, data }` (or `{ data: null }` when configured). */
export interface ToOne<T> {
  kind?: 'one';
  linkage: (r: T, ctx: RenderContext) => ResourceIdentifier | null;
  /** Related path (may be null); when this function is absent no `links` member is rendered. */
  related?: (r: T, ctx: RenderContext) => string | null;
  /** Polymorphic relationships render exactly `{ data: null }` when unset. */
  omitLinksWhenNull?: boolean;
  /** Rendered only where this holds (e.g. an API version's relationship set). */
  when?: (ctx: RenderContext) => boolean;
}

/** To-many relationship: `{ links: { related } }` plus optional `meta`; never linkage. */
export interface ToMany<T> {
  kind: 'many';
  related: (r: T, ctx: RenderContext) => string;
  meta?: (r: T, ctx: RenderContext) => Record<string, unknown>;
  /** Rendered only where this holds (e.g. an API version's relationship set). */
  when?: (ctx: RenderContext) => boolean;
}

/** Serializer definition for one resource type. */
export interface Serializer<T> {
  /** Plural, dasherized type (`licenses`, `webhook-endpoints`). */
  type: string;
  /** Id accessor (default `r.id`). */
  id?: (r: T) => string;
  /** `links.self` path (account UUID based). */
  self: (r: T, ctx: RenderContext) => string;
  /** Attributes with wire (lowerCamel) names; not transformed further. */
  attributes: (r: T, ctx: RenderContext) => Record<string, unknown>;
  relationships?: Record<string, ToOne<T> | ToMany<T>>;
  meta?: (r: T, ctx: RenderContext) => Record<string, unknown> | undefined;
  /**
   * Resource-level `links` replacing the default `{ self }` (Keygen's join resources,
   * e.g. `policy-entitlements`, link only `related`). An empty object omits `links`
   * (resources Keygen renders without links, e.g. `license-files`).
   */
  links?: (r: T, ctx: RenderContext) => Record<string, string>;
}

/** Rendered relationship object (member order links, data, meta). */
export interface RelationshipObject {
  links?: { related: string | null };
  /** A to-many relationship carries an array only where a document includes it (license files). */
  data?: ResourceIdentifier | ResourceIdentifier[] | null;
  meta?: Record<string, unknown>;
}

/** Rendered resource object (member order id, type, attributes, relationships, links, meta). */
export interface ResourceObject {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
  relationships?: Record<string, RelationshipObject>;
  links?: Record<string, string>;
  meta?: Record<string, unknown>;
}

/** Identity helper giving type inference for serializer definitions. */
export function defineSerializer<T>(s: Serializer<T>): Serializer<T> {
  return s;
}

function defaultId(r: unknown): string {
  const id = (r as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') {
    throw new TypeError('resource has no string id');
  }
  return id;
}

function renderRelationship<T>(
  rel: ToOne<T> | ToMany<T>,
  r: T,
  ctx: RenderContext,
): RelationshipObject {
  if (rel.kind === 'many') {
    const out: RelationshipObject = { links: { related: rel.related(r, ctx) } };
    const meta = rel.meta?.(r, ctx);
    if (meta !== undefined) {
      out.meta = meta;
    }
    return out;
  }
  const linked = rel.linkage(r, ctx);
  const data = linked === null ? null : { type: linked.type, id: linked.id };
  if (data === null && rel.omitLinksWhenNull) {
    return { data: null };
  }
  const out: RelationshipObject = {};
  if (rel.related) {
    out.links = { related: rel.related(r, ctx) };
  }
  out.data = data;
  return out;
}

/** Render one resource object. */
export function renderResource<T>(s: Serializer<T>, r: T, ctx: RenderContext): ResourceObject {
  const head = {
    id: s.id ? s.id(r) : defaultId(r),
    type: s.type,
    attributes: s.attributes(r, ctx),
  };
  let relationships: Record<string, RelationshipObject> | undefined;
  const rels = s.relationships;
  if (rels && Object.keys(rels).length > 0) {
    relationships = {};
    for (const name of Object.keys(rels)) {
      const rel = rels[name];
      if (!rel.when || rel.when(ctx)) {
        relationships[name] = renderRelationship(rel, r, ctx);
      }
    }
  }
  const links = s.links ? s.links(r, ctx) : { self: s.self(r, ctx) };
  const out: ResourceObject = relationships ? { ...head, relationships } : { ...head };
  if (Object.keys(links).length > 0) {
    out.links = links;
  }
  const meta = s.meta?.(r, ctx);
  if (meta !== undefined) {
    out.meta = meta;
  }
  return out;
}

/** Extra top-level members of {@link renderDocument}. */
export interface DocumentExtras {
  included?: unknown[];
  links?: Record<string, unknown>;
  meta?: Record<string, unknown>;
}

/**
 * Render `{ data, included?, links?, meta? }`: `included` only when non-empty, `links` only
 * when non-empty, `meta` whenever given.
 */
export function renderDocument<T>(
  s: Serializer<T>,
  data: T | T[] | null,
  ctx: RenderContext,
  extra: DocumentExtras = {},
): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    data: Array.isArray(data)
      ? data.map((r: T) => renderResource(s, r, ctx))
      : data === null || data === undefined
        ? null
        : renderResource(s, data, ctx),
  };
  if (extra.included && extra.included.length > 0) {
    doc.included = extra.included;
  }
  if (extra.links && Object.keys(extra.links).length > 0) {
    doc.links = extra.links;
  }
  if (extra.meta !== undefined) {
    doc.meta = extra.meta;
  }
  return doc;
}

const PG_TIME_RE =
  /^(\d{4,})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?$/;

function parseTimestampString(s: string): Date {
  const m = PG_TIME_RE.exec(s.trim());
  if (!m) {
    return new Date(s);
  }
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  let offsetSec = 0;
  if (m[9]) {
    const sign = m[9] === '-' ? -1 : 1;
    offsetSec = sign * (Number(m[10]) * 3600 + Number(m[11] ?? 0) * 60 + Number(m[12] ?? 0));
  }
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]) - offsetSec, ms);
  return d;
}

/**
 * ISO-8601 UTC timestamp with exactly 3 fractional digits (`2024-06-04T16:18:36.789Z`);
 * sub-millisecond digits of string input are truncated; null/invalid → null.
 */
export function timestamp(d: Date | string | null | undefined): string | null {
  if (d === null || d === undefined) {
    return null;
  }
  const date = typeof d === 'string' ? parseTimestampString(d) : d;
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

import { underscoreKey } from '@libs/jsonapi';
import { isUuidLike, normalizeUuid } from '@app/common/ids';

/** A polymorphic reference as stored on a log row: JSON:API type and id. */
export interface ResourceRef {
  type: string;
  id: string;
}

/**
 * JSON:API types with their Keygen model names (snake_case). Filters accept either
 * spelling, singular or plural, any case (spec 06 §1.4: a superset of Keygen, which
 * only knows its class names, e.g. `release-artifact` for `artifacts`).
 */
const TYPE_ALIASES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['accounts', ['account']],
  ['environments', ['environment']],
  ['users', ['user']],
  ['tokens', ['token']],
  ['second-factors', ['second_factor']],
  ['groups', ['group']],
  ['group-owners', ['group_owner']],
  ['products', ['product']],
  ['policies', ['policy']],
  ['policy-entitlements', ['policy_entitlement']],
  ['entitlements', ['entitlement']],
  ['licenses', ['license']],
  ['license-users', ['license_user']],
  ['license-entitlements', ['license_entitlement']],
  ['keys', ['key']],
  ['machines', ['machine']],
  ['components', ['component', 'machine_component']],
  ['processes', ['process', 'machine_process']],
  ['releases', ['release']],
  ['artifacts', ['artifact', 'release_artifact']],
  ['packages', ['package', 'release_package']],
  ['engines', ['engine', 'release_engine']],
  ['platforms', ['platform', 'release_platform']],
  ['arches', ['arch', 'release_arch']],
  ['channels', ['channel', 'release_channel']],
  ['constraints', ['constraint', 'release_entitlement_constraint']],
  ['settings', ['setting', 'account_setting']],
  ['webhook-endpoints', ['webhook_endpoint']],
  ['webhook-events', ['webhook_event']],
  ['request-logs', ['request_log']],
  ['event-logs', ['event_log']],
];

function plural(word: string): string {
  if (/[^aeiou]y$/.test(word)) {
    return `${word.slice(0, -1)}ies`;
  }
  return /(?:s|x|ch|sh)$/.test(word) ? `${word}es` : `${word}s`;
}

const BY_NAME: ReadonlyMap<string, string> = new Map(
  TYPE_ALIASES.flatMap(([type, names]) => [
    [type.replace(/-/g, '_'), type] as const,
    ...names.flatMap((n) => [[n, type] as const, [plural(n), type] as const]),
  ]),
);

/**
 * `user`, `users`, `User`, `release-artifact`, `ReleaseArtifacts` → the JSON:API type
 * (`users`, `artifacts`); null when the value names no known type.
 */
export function normalizeType(term: string): string | null {
  const key = underscoreKey(term.trim()).toLowerCase();
  return BY_NAME.get(key) ?? null;
}

/** Types addressed by `/v1/accounts/{account}/{type}/{id}` (Keygen's routes by model). */
const ROUTABLE: ReadonlySet<string> = new Set([
  'environments',
  'users',
  'tokens',
  'groups',
  'products',
  'policies',
  'entitlements',
  'licenses',
  'keys',
  'machines',
  'components',
  'processes',
  'releases',
  'artifacts',
  'packages',
  'engines',
  'platforms',
  'arches',
  'channels',
  'webhook-endpoints',
  'webhook-events',
  'request-logs',
  'event-logs',
]);

/** The `related` link of a polymorphic log relationship; null when no route shows that type. */
export function relatedPath(accountId: string, ref: ResourceRef): string | null {
  if (ref.type === 'accounts') {
    return `/v1/accounts/${ref.id}`;
  }
  return ROUTABLE.has(ref.type) ? `/v1/accounts/${accountId}/${ref.type}/${ref.id}` : null;
}

/**
 * What a route addresses, read from its first two segments after the account:
 * `{type}/{value}` (a record, value possibly an alias), `{type}/actions/...` (an
 * action on the collection, e.g. validate-key) or nothing (index, create, /me, ...).
 */
export type RouteTarget =
  | { kind: 'record'; type: string; value: string }
  | { kind: 'collection-action'; type: string }
  | null;

/** From the segments after `/v1/accounts/{account}` (or `/v1` in singleplayer). */
export function routeTarget(segments: readonly string[]): RouteTarget {
  const [type, next] = segments;
  if (!type || !ROUTABLE.has(type) || next === undefined || next === '') {
    return null;
  }
  return next === 'actions'
    ? { kind: 'collection-action', type }
    : { kind: 'record', type, value: next };
}

/** The segments after the account of a raw request path (`/v1/accounts/x/users/1` → users, 1). */
export function pathSegments(path: string): string[] {
  const parts = path.split('/');
  // ['', 'v1', 'accounts', '<account>', ...rest] or singleplayer ['', 'v1', ...rest]
  const rest = parts[2] === 'accounts' ? parts.slice(4) : parts.slice(2);
  return rest.map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
}

/** The id a path value stands for when it is a UUID (aliases need the record). */
export function uuidOrNull(value: string): string | null {
  return isUuidLike(value) ? normalizeUuid(value) : null;
}

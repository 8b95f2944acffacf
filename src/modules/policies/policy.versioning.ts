import {
  registerResponseMigration,
  type MigrationInput,
} from '@app/common/versioning/response-migrations';

/**
 * Response migrations for policies (spec 00 §7.2). Importing this file registers them.
 * Like Keygen's, renamed and added attributes move to the end of `attributes`.
 */

type Resource = { type?: unknown; attributes?: Record<string, unknown> };

interface Target {
  /** Index actions migrate `data[]` and `included[]`; show/create/update only `data`. */
  list: boolean;
  /** The route is one whose responses Keygen renames policy attributes for. */
  renames: boolean;
}

const A = '/v1/accounts/:account';
const PARAM = ':[^/]+';
const ROUTES: ReadonlyArray<{ method: string; re: RegExp; list: boolean; renames: boolean }> = [
  { method: 'GET', re: new RegExp(`^${A}/policies$`), list: true, renames: true },
  { method: 'POST', re: new RegExp(`^${A}/policies$`), list: false, renames: true },
  { method: 'GET', re: new RegExp(`^${A}/policies/${PARAM}$`), list: false, renames: true },
  { method: 'PATCH', re: new RegExp(`^${A}/policies/${PARAM}$`), list: false, renames: true },
  { method: 'PUT', re: new RegExp(`^${A}/policies/${PARAM}$`), list: false, renames: true },
  { method: 'GET', re: new RegExp(`^${A}/products/${PARAM}/policies$`), list: true, renames: true },
  {
    method: 'GET',
    re: new RegExp(`^${A}/products/${PARAM}/policies/${PARAM}$`),
    list: false,
    renames: true,
  },
  // Owned by later modules; listed so their policy responses migrate the same way.
  { method: 'GET', re: new RegExp(`^${A}/licenses/${PARAM}/policy$`), list: false, renames: true },
  { method: 'GET', re: new RegExp(`^${A}/keys/${PARAM}/policy$`), list: false, renames: false },
];

/** The policy route a response belongs to, or null. */
export function policyRoute(method: string, route: string): Target | null {
  const path = route.replace(/\/$/, '');
  const hit = ROUTES.find((r) => r.method === method && r.re.test(path));
  return hit ? { list: hit.list, renames: hit.renames } : null;
}

/** The policy resources of a 2xx body the migration may touch. */
function policies(input: MigrationInput, needsRenames: boolean): Resource[] {
  const { body, status, method, route } = input;
  if (!body || status >= 400) {
    return [];
  }
  const target = policyRoute(method, route);
  if (!target || (needsRenames && !target.renames)) {
    return [];
  }
  const out: Resource[] = [];
  const add = (r: unknown): void => {
    const res = r as Resource | null;
    if (res && res.type === 'policies' && res.attributes) {
      out.push(res);
    }
  };
  if (target.list) {
    if (Array.isArray(body.data)) {
      body.data.forEach(add);
    }
    if (Array.isArray(body.included)) {
      body.included.forEach(add);
    }
  } else if (body.data && !Array.isArray(body.data)) {
    add(body.data);
  }
  return out;
}

/** Moves a string attribute to a new name at the end (Keygen's `attrs[to] = attrs.delete(from)`). */
export function renameAttribute(attrs: Record<string, unknown>, from: string, to: string): void {
  if (typeof attrs[from] === 'string') {
    const value = attrs[from];
    delete attrs[from];
    attrs[to] = value;
  }
}

registerResponseMigration({
  version: '1.6',
  name: 'policy-leasing-strategy',
  transform(input) {
    for (const p of policies(input, true)) {
      renameAttribute(p.attributes!, 'processLeasingStrategy', 'leasingStrategy');
    }
  },
});

registerResponseMigration({
  version: '1.3',
  name: 'policy-fingerprint-strategies',
  transform(input) {
    for (const p of policies(input, true)) {
      renameAttribute(p.attributes!, 'machineUniquenessStrategy', 'fingerprintUniquenessStrategy');
      renameAttribute(p.attributes!, 'machineMatchingStrategy', 'fingerprintMatchingStrategy');
    }
  },
});

registerResponseMigration({
  version: '1.1',
  name: 'policy-concurrent',
  transform(input) {
    for (const p of policies(input, false)) {
      const attrs = p.attributes!;
      if ('overageStrategy' in attrs) {
        attrs.concurrent = attrs.overageStrategy !== 'NO_OVERAGE';
      }
    }
  },
});

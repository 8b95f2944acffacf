import {
  registerResponseMigration,
  type MigrationInput,
} from '@app/common/versioning/response-migrations';

/**
 * API ≤1.5 response migrations for licenses (spec 02 §12): the `owner` relationship
 * is rendered as `user` (link `/licenses/{id}/user`), and a 422 `OWNER_NOT_FOUND` from
 * license create/update becomes `USER_NOT_FOUND` on `/data/relationships/user`.
 * Importing this file registers them. The routes are Keygen's; several belong to
 * other parts of the licenses module (actions, validation, relationships) or to
 * other modules (users, groups, machines), and migrate the same way.
 */

type Resource = {
  type?: unknown;
  id?: unknown;
  relationships?: Record<string, unknown>;
};

const A = '/v1/accounts/:account';
const P = ':[^/]+';
const route = (path: string): RegExp => new RegExp(`^${A}${path}$`);

/** Routes answering one license in `data` (Keygen's show/create/update and the actions). */
const SINGLE: ReadonlyArray<{ methods: readonly string[]; re: RegExp }> = [
  { methods: ['POST'], re: route('/licenses') },
  { methods: ['GET', 'PATCH', 'PUT'], re: route(`/licenses/${P}`) },
  { methods: ['GET', 'POST'], re: route(`/licenses/${P}/actions/validate`) },
  { methods: ['POST'], re: route('/licenses/actions/validate-key') },
  {
    methods: ['POST'],
    re: route(`/licenses/${P}/actions/(?:increment|decrement|reset)-usage`),
  },
  {
    methods: ['POST'],
    re: route(`/licenses/${P}/actions/(?:check-in|renew|suspend|reinstate)`),
  },
  { methods: ['PATCH', 'PUT'], re: route(`/licenses/${P}/user`) },
  { methods: ['GET'], re: route(`/(?:products|policies|users|groups)/${P}/licenses/${P}`) },
  { methods: ['GET'], re: route(`/(?:machines|components|processes)/${P}/license`) },
];

/** Routes answering a list of licenses in `data` (and possibly `included`). */
const LIST: ReadonlyArray<RegExp> = [
  route('/licenses'),
  route(`/(?:products|policies|users|groups)/${P}/licenses`),
];

/** Routes whose 422s carry the license model's errors (create, update, legacy user change). */
const ERRORS: ReadonlyArray<{ methods: readonly string[]; re: RegExp }> = [
  { methods: ['POST'], re: route('/licenses') },
  { methods: ['PATCH', 'PUT'], re: route(`/licenses/${P}`) },
  { methods: ['PATCH', 'PUT'], re: route(`/licenses/${P}/user`) },
];

const clean = (r: string): string => r.replace(/\/$/, '');

/** Whether a route answers a single license, a list of them, or neither. */
export function licenseRouteKind(method: string, routePath: string): 'single' | 'list' | null {
  const path = clean(routePath);
  if (method === 'GET' && LIST.some((re) => re.test(path))) {
    return 'list';
  }
  return SINGLE.some((r) => r.methods.includes(method) && r.re.test(path)) ? 'single' : null;
}

/** Renames a license resource's `owner` relationship to `user` (moved to the end). */
export function renameOwnerToUser(resource: unknown): void {
  const r = resource as Resource | null;
  if (!r || r.type !== 'licenses' || typeof r.id !== 'string' || !r.relationships) {
    return;
  }
  const rels = r.relationships;
  const account = rels.account as { data?: { id?: unknown } } | undefined;
  const accountId = account?.data?.id;
  const owner = rels.owner as Record<string, unknown> | undefined;
  if (typeof accountId !== 'string' || !owner || typeof owner !== 'object') {
    return;
  }
  delete rels.owner;
  rels.user = {
    ...owner,
    links: { related: `/v1/accounts/${accountId}/licenses/${r.id}/user` },
  };
}

function successful(input: MigrationInput): boolean {
  return !!input.body && input.status < 400 && input.status !== 204;
}

registerResponseMigration({
  version: '1.5',
  name: 'license-owner-to-user',
  transform(input) {
    if (!successful(input)) {
      return;
    }
    const body = input.body as { data?: unknown; included?: unknown };
    const kind = licenseRouteKind(input.method, input.route);
    if (kind === 'single') {
      if (body.data && !Array.isArray(body.data)) {
        renameOwnerToUser(body.data);
      }
    } else if (kind === 'list') {
      if (Array.isArray(body.included)) {
        body.included.forEach(renameOwnerToUser);
      }
      if (Array.isArray(body.data)) {
        body.data.forEach(renameOwnerToUser);
      }
    }
  },
});

registerResponseMigration({
  version: '1.5',
  name: 'license-owner-not-found',
  transform(input) {
    const { body, status, method } = input;
    const path = clean(input.route);
    if (
      status !== 422 ||
      !body ||
      !ERRORS.some((r) => r.methods.includes(method) && r.re.test(path))
    ) {
      return;
    }
    const errors = body.errors;
    if (!Array.isArray(errors)) {
      return;
    }
    for (const e of errors as Array<Record<string, unknown>>) {
      if (e && e.code === 'OWNER_NOT_FOUND') {
        e.code = 'USER_NOT_FOUND';
        e.source = { pointer: '/data/relationships/user' };
      }
    }
  },
});

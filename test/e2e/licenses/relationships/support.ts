import type { Response, Test } from 'supertest';
import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import type { Environment } from '@app/modules/environments/environment.entity';
import type { License } from '@app/modules/licenses/license.entity';
import type { Policy } from '@app/modules/policies/policy.entity';
import type { Product } from '@app/modules/products/product.entity';
import type { User } from '@app/modules/users/user.entity';
import type { TestApp } from '../../../support/app';
import { given, type GivenAccount } from '../../../support/factories';

export const FORBIDDEN = 'You do not have permission to complete the request';
export const DENIED = `${FORBIDDEN} (ensure the token or license is allowed to access all resources)`;
export const lacks = (words: string): string =>
  `${FORBIDDEN} (${words} lacks permission to perform action)`;
export const RECORD_ENV = `${FORBIDDEN} (record environment is not compatible with the current environment)`;
export const RECORDS_ENV = `${FORBIDDEN} (a record's environment is not compatible with the current environment)`;
/** A related record that does not exist, seen from inside an environment (strict check). */
export const RECORD_NOT_COMPATIBLE = `${FORBIDDEN} (record is not compatible with the current environment)`;
export const TOKEN_LACKS = lacks('token');

/** Who calls a route in the role matrices. */
export const ACTORS = [
  'admin',
  'developer',
  'sales-agent',
  'support-agent',
  'read-only',
  'product',
  'other-product',
  'owner',
  'licensee',
  'user',
  'license',
  'other-license',
] as const;
export type ActorName = (typeof ACTORS)[number] | 'environment';

/**
 * One account with a license `license` (policy on `product`, owned by `owner`, with
 * `licensee` attached), another license of the same policy, and a bearer for every
 * role. The environment bearer has its own license (`envLicense`) in an isolated
 * environment, since it cannot see global licenses.
 */
export interface World {
  a: GivenAccount;
  product: Product;
  otherProduct: Product;
  policy: Policy;
  license: License;
  key: string;
  otherLicense: License;
  owner: User;
  licensee: User;
  stranger: User;
  environment: Environment;
  envLicense: License;
  envAuth: Record<string, string>;
  auth: Record<Exclude<ActorName, 'environment'>, Record<string, string>>;
}

export interface WorldOptions {
  policy?: Partial<Policy>;
  license?: Partial<License>;
  /** Extra permissions for the owner, licensee and stranger users. */
  userPermissions?: string[];
  /** Extra permissions for the license itself. */
  licensePermissions?: string[];
}

export async function world(t: TestApp, opts: WorldOptions = {}): Promise<World> {
  const g = given(t);
  const a = await g.account();
  const product = await g.product(a.account);
  const otherProduct = await g.product(a.account);
  const policy = await g.policy(a.account, { product: product.product, ...(opts.policy ?? {}) });
  const userPerms = [...DEFAULT_PERMISSIONS.user, ...(opts.userPermissions ?? [])];
  // No passwords: hashing is slow and these bearers use tokens.
  const owner = await g.user(a.account, { permissions: userPerms, password: null });
  const licensee = await g.user(a.account, { permissions: userPerms, password: null });
  const stranger = await g.user(a.account, { permissions: userPerms, password: null });
  const l = await g.license(a.account, {
    policy,
    owner: owner.user,
    permissions: [...DEFAULT_PERMISSIONS.license, ...(opts.licensePermissions ?? [])],
    ...(opts.license ?? {}),
  });
  await g.licenseUser(l.license, licensee.user);
  const other = await g.license(a.account, { policy });
  const staff = async (role: 'developer' | 'sales-agent' | 'support-agent' | 'read-only') =>
    (await g.user(a.account, { role, password: null })).auth;
  const env = await g.environment(a.account);
  const envLicense = await g.license(a.account, { environment: env.environment });
  return {
    a,
    product: product.product,
    otherProduct: otherProduct.product,
    policy,
    license: l.license,
    key: l.key,
    otherLicense: other.license,
    owner: owner.user,
    licensee: licensee.user,
    stranger: stranger.user,
    environment: env.environment,
    envLicense: envLicense.license,
    envAuth: env.auth,
    auth: {
      admin: a.auth,
      developer: await staff('developer'),
      'sales-agent': await staff('sales-agent'),
      'support-agent': await staff('support-agent'),
      'read-only': await staff('read-only'),
      product: product.auth,
      'other-product': otherProduct.auth,
      owner: owner.auth,
      licensee: licensee.auth,
      user: stranger.auth,
      license: l.auth,
      'other-license': other.auth,
    },
  };
}

/**
 * Runs `call` as every actor (the environment bearer on its own license) and
 * returns `{actor: status}`, so a matrix is one `toEqual`.
 */
export async function statuses(
  w: World,
  call: (auth: Record<string, string>, licenseId: string) => PromiseLike<{ status: number }>,
  actors: readonly ActorName[] = [...ACTORS, 'environment'],
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const actor of actors) {
    const res =
      actor === 'environment'
        ? await call(w.envAuth, w.envLicense.id)
        : await call(w.auth[actor], w.license.id);
    out[actor] = res.status;
  }
  return out;
}

/** Expected statuses: `ok` for the listed actors, the rest as given (default 403). */
export function expectMatrix(
  allowed: readonly ActorName[],
  ok: number,
  others: Partial<Record<ActorName, number>>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const actor of [...ACTORS, 'environment'] as ActorName[]) {
    out[actor] = allowed.includes(actor) ? ok : (others[actor] ?? 403);
  }
  return out;
}

/** Readers that see any license in their scope. */
export const STAFF_READERS: ActorName[] = [
  'admin',
  'developer',
  'sales-agent',
  'support-agent',
  'read-only',
  'environment',
];

/** Writers of license relationships (admin, developer, sales agent, environment, own product). */
export const WRITERS: ActorName[] = ['admin', 'developer', 'sales-agent', 'environment', 'product'];

/** Out-of-scope bearers: another product, a user without the license, another license. */
export const OUT_OF_SCOPE = { 'other-product': 404, user: 404, 'other-license': 404 } as const;

/** Staff readers, the own product and `also`: 200; out-of-scope bearers 404; the rest 403. */
export const readMatrix = (...also: ActorName[]) =>
  expectMatrix([...STAFF_READERS, 'product', ...also], 200, OUT_OF_SCOPE);

/** Writers and `also`: 200; out-of-scope bearers 404; the rest 403. */
export const writeMatrix = (...also: ActorName[]) =>
  expectMatrix([...WRITERS, ...also], 200, OUT_OF_SCOPE);

/** Auth for a token of `w`'s admin (or of its license) holding only `permissions`. */
export async function narrowToken(
  t: TestApp,
  w: World,
  bearer: 'admin' | 'license',
  permissions: string[],
): Promise<Record<string, string>> {
  const tok = await given(t).token(
    w.a.account,
    bearer === 'admin'
      ? { type: 'users', id: w.a.admin.id, role: 'admin', environmentId: null }
      : { type: 'licenses', id: w.license.id, role: 'license', environmentId: null },
    { permissions },
  );
  return { Authorization: `Bearer ${tok.raw}` };
}

/** `<account>/licenses/<license>/<rel>`, or `…/<rel>/<id>` given an id. */
export const relationshipUrl =
  (rel: string) =>
  (w: World, license: string, id?: string): string =>
    `${w.a.base}/licenses/${license}/${rel}${id ? `/${id}` : ''}`;

/** A to-one body: `{ data: { type, id } }`, or `{ data: null }` to clear it. */
export const toOne = (type: string) => (id: string | null) => ({
  data: id === null ? null : { type, id },
});

/** A to-many body: `{ data: [{ type, id }, …] }`. */
export const toMany =
  (type: string) =>
  (...ids: string[]) => ({ data: ids.map((id) => ({ type, id })) });

export const notFound = (model: string, id: string) => ({
  title: 'Not found',
  detail: `The requested ${model} '${id}' was not found`,
  code: 'NOT_FOUND',
});

export const badRequest = (detail: string, pointer: string) => ({
  title: 'Bad request',
  detail,
  source: { pointer },
});

/** A 422 license model error as Keygen renders it. */
export const licenseError = (path: string, code: string, detail: string) => {
  const [kind, name] = path.split('/');
  return {
    title: 'Unprocessable resource',
    detail,
    code,
    source: { pointer: `/data/${path}` },
    links: {
      about: `https://keygen.sh/docs/api/licenses/#licenses-object-${kind === 'relationships' ? 'relationships' : 'attrs'}-${name}`,
    },
  };
};

/**
 * `send` with an unknown id, then another account's: both 422 `code` ('must exist') on
 * `relationships/<rel>`; the first error in full, the second by its code.
 */
export async function expectMustExist(
  send: (id: string) => Test,
  rel: string,
  code: string,
  [unknownId, foreignId]: [string, string],
): Promise<void> {
  const res = await send(unknownId).expect(422);
  expect(res.body.errors).toEqual([licenseError(`relationships/${rel}`, code, 'must exist')]);
  const foreign = await send(foreignId).expect(422);
  expect(foreign.body.errors[0].code).toBe(code);
}

export const groupLimitExceeded = (max: number) =>
  licenseError(
    'relationships/group',
    'GROUP_LICENSE_LIMIT_EXCEEDED',
    `license count has exceeded maximum allowed by current group (${max})`,
  );

export const userLimitExceeded = (max: number) =>
  licenseError(
    'relationships/users',
    'USER_LIMIT_EXCEEDED',
    `user count has exceeded maximum allowed for license (${max})`,
  );

/** Every response produced after account resolution is signed. */
export function expectSigned(res: Response): void {
  expect(res.headers['keygen-signature']).toMatch(/^keyid="[0-9a-f-]{36}", algorithm="ed25519"/);
  expect(res.headers.digest).toMatch(/^sha-256=/);
}

import type { Response } from 'supertest';
import type { EntityTarget, FindOptionsWhere } from 'typeorm';
import type { UserRole } from '@app/common/auth/roles';
import type { Environment } from '@app/modules/environments/environment.entity';
import type { License } from '@app/modules/licenses/license.entity';
import type { Policy } from '@app/modules/policies/policy.entity';
import type { User } from '@app/modules/users/user.entity';
import type { TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

export const FORBIDDEN = 'You do not have permission to complete the request';
export const FORBIDDEN_BEARER = `${FORBIDDEN} (ensure the token or license is allowed to access all resources)`;
export const RECORD_ENV = `${FORBIDDEN} (record environment is not compatible with the current environment)`;
export const lacks = (who: string): string =>
  `${FORBIDDEN} (${who} lacks permission to perform action)`;

/** A 403 policy denial with the given detail (no code). */
export function expectForbidden(res: Response, detail = FORBIDDEN_BEARER): void {
  expect({ status: res.status, errors: res.body.errors }).toEqual({
    status: 403,
    errors: [{ title: 'Access denied', detail }],
  });
}

/** A 404 for `id`, named by Keygen's model name (`machine`, `machine component`, …). */
export function expectNotFound(res: Response, id: string, model = 'machine'): void {
  expect({ status: res.status, errors: res.body.errors }).toEqual({
    status: 404,
    errors: [
      {
        title: 'Not found',
        detail: `The requested ${model} '${id}' was not found`,
        code: 'NOT_FOUND',
      },
    ],
  });
}

export function expectBadRequest(res: Response, detail: string, pointer: string): void {
  expect({ status: res.status, errors: res.body.errors }).toEqual({
    status: 400,
    errors: [{ title: 'Bad request', detail, source: { pointer } }],
  });
}

/** A 422 model error of `topic` (`links.about` derived from the pointer like Keygen). */
export function modelError(
  topic: 'machines' | 'components' | 'processes',
  code: string,
  detail: string,
  pointer: string,
): Record<string, unknown> {
  const rel = /\/relationships\/([^/]+)/.exec(pointer);
  const attr = /\/attributes\/([^/]+)/.exec(pointer);
  const hash = rel ? `-relationships-${rel[1]}` : attr ? `-attrs-${attr[1]}` : '';
  return {
    title: 'Unprocessable resource',
    detail,
    code,
    source: { pointer },
    links: { about: `https://keygen.sh/docs/api/${topic}/#${topic}-object${hash}` },
  };
}

/** A 422 model error on the machine. */
export const machineError = (code: string, detail: string, pointer: string) =>
  modelError('machines', code, detail, pointer);

export function expectUnprocessable(
  res: Response,
  ...errors: Array<Record<string, unknown>>
): void {
  expect({ status: res.status, errors: res.body.errors }).toEqual({ status: 422, errors });
}

/** A JSON:API activation document. */
export function activationDoc(
  license: { id: string },
  attributes: Record<string, unknown> = {},
  relationships: Record<string, unknown> = {},
  extra: { id?: string; type?: string } = {},
): Record<string, unknown> {
  return {
    data: {
      type: extra.type ?? 'machines',
      ...(extra.id ? { id: extra.id } : {}),
      attributes: { fingerprint: `fp-${Math.random().toString(36).slice(2)}`, ...attributes },
      relationships: { license: { data: { type: 'licenses', id: license.id } }, ...relationships },
    },
  };
}

/** Every bearer kind the route tables name, for one license in one account. */
export interface Cast {
  a: GivenAccount;
  policy: Policy;
  license: License;
  licenseAuth: Record<string, string>;
  licenseKeyAuth: Record<string, string>;
  licenseOwner: { user: User; auth: Record<string, string> };
  licensee: { user: User; auth: Record<string, string> };
  stranger: { user: User; auth: Record<string, string> };
  roles: Record<Exclude<UserRole, 'user'>, Record<string, string>>;
  product: Record<string, string>;
  otherProduct: Record<string, string>;
  otherLicense: { license: License; auth: Record<string, string>; keyAuth: Record<string, string> };
}

/**
 * An account with a floating policy (authentication MIXED, so both license tokens and
 * license keys work), a license owned by a user with a licensee, and every role.
 */
export async function cast(
  t: TestApp,
  policyOpts: Partial<Policy> = {},
  licenseOpts: Partial<License> = {},
): Promise<Cast> {
  const g = given(t);
  const a = await g.account();
  const prod = await g.product(a.account);
  const other = await g.product(a.account);
  const policy = await g.policy(a.account, {
    product: prod.product,
    floating: true,
    maxMachines: null,
    authenticationStrategy: 'MIXED',
    ...policyOpts,
  });
  const owner = await g.user(a.account);
  const licensee = await g.user(a.account);
  const stranger = await g.user(a.account);
  const lic = await g.license(a.account, { policy, owner: owner.user, ...licenseOpts });
  await g.licenseUser(lic.license, licensee.user);
  const otherPolicy = await g.policy(a.account, {
    product: other.product,
    floating: true,
    authenticationStrategy: 'MIXED',
  });
  const otherLicense = await g.license(a.account, { policy: otherPolicy });
  const roles = {} as Cast['roles'];
  for (const role of ['admin', 'developer', 'sales-agent', 'support-agent', 'read-only'] as const) {
    roles[role] = role === 'admin' ? a.auth : (await g.user(a.account, { role })).auth;
  }
  return {
    a,
    policy,
    license: lic.license,
    licenseAuth: lic.auth,
    licenseKeyAuth: lic.keyAuth,
    licenseOwner: owner,
    licensee,
    stranger,
    roles,
    product: prod.auth,
    otherProduct: other.auth,
    otherLicense: {
      license: otherLicense.license,
      auth: otherLicense.auth,
      keyAuth: otherLicense.keyAuth,
    },
  };
}

/** An environment token's headers for `env`. */
export type EnvAuth = { environment: Environment; auth: Record<string, string> };

/** The exact `machines` resource for a stored machine at a given status. */
export function machineResource(
  m: {
    id: string;
    accountId: string;
    environmentId: string | null;
    licenseId: string;
    productId: string;
    ownerId: string | null;
    groupId: string | null;
    fingerprint: string;
  },
  attributes: Record<string, unknown>,
): Record<string, unknown> {
  const base = `/v1/accounts/${m.accountId}`;
  const self = `${base}/machines/${m.id}`;
  return {
    id: m.id,
    type: 'machines',
    attributes,
    relationships: {
      account: { links: { related: base }, data: { type: 'accounts', id: m.accountId } },
      environment: m.environmentId
        ? {
            links: { related: `${base}/environments/${m.environmentId}` },
            data: { type: 'environments', id: m.environmentId },
          }
        : { links: { related: null }, data: null },
      product: {
        links: { related: `${self}/product` },
        data: { type: 'products', id: m.productId },
      },
      group: {
        links: { related: `${self}/group` },
        data: m.groupId ? { type: 'groups', id: m.groupId } : null,
      },
      license: {
        links: { related: `${self}/license` },
        data: { type: 'licenses', id: m.licenseId },
      },
      owner: {
        links: { related: `${self}/owner` },
        data: m.ownerId ? { type: 'users', id: m.ownerId } : null,
      },
      components: { links: { related: `${self}/components` } },
      processes: { links: { related: `${self}/processes` } },
    },
    links: { self },
  };
}

/** The sorted ids of a list response. */
export const ids = (res: { body: { data: Array<{ id: string }> } }): string[] =>
  res.body.data.map((d) => d.id).sort();

/**
 * Helpers for the culling tests of machines and processes, read lazily from `ctx` (the
 * app boots in beforeAll). `sweep` is confined to the file's account, since other files
 * share the database, and drains the jobs it enqueued.
 */
export function cullingProbes<E extends { id: string }>(
  entity: EntityTarget<E>,
  ctx: () => {
    t: TestApp;
    a: GivenAccount;
    culling: { sweep(now: Date, only: { accountId: string }): Promise<number> };
  },
) {
  const repo = () => ctx().t.ds.getRepository(entity);
  const byId = (r: { id: string }) => ({ id: r.id }) as FindOptionsWhere<E>;
  return {
    sweep: async (): Promise<number> => {
      const { t, a, culling } = ctx();
      const n = await culling.sweep(t.clock.now(), { accountId: a.id });
      await t.jobs.drain();
      return n;
    },
    exists: async (r: { id: string }) => (await repo().countBy(byId(r))) > 0,
    stored: (r: { id: string }) => repo().findOneByOrFail(byId(r)),
    /** How many `name` events were recorded for `r`. */
    events: (name: string, r: { id: string }) =>
      ctx()
        .t.events.named(name, ctx().a.id)
        .filter((e) => e.resource.id === r.id).length,
  };
}

import type { Response } from 'supertest';
import type { Environment } from '@app/modules/environments/environment.entity';
import type { License } from '@app/modules/licenses/license.entity';
import type { Machine } from '@app/modules/machines/machine.entity';
import type { Policy } from '@app/modules/policies/policy.entity';
import type { User } from '@app/modules/users/user.entity';
import type { TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { cast as machineCast, ids } from './support';

/**
 * Shared cast for the components and processes e2e tests (a machine's children): one
 * account with every bearer kind the route tables of spec 03 §2.1 / §3.1 name, around
 * one machine. The error helpers are the machines tests'.
 */

export {
  FORBIDDEN,
  FORBIDDEN_BEARER,
  RECORD_ENV,
  expectBadRequest,
  expectForbidden,
  expectNotFound,
  expectUnprocessable,
  ids,
  lacks,
  modelError,
} from './support';

/** Every bearer the route tables distinguish. */
export const WHO = [
  'admin',
  'developer',
  'sales-agent',
  'support-agent',
  'read-only',
  'product',
  'otherProduct',
  'licenseOwner',
  'machineOwner',
  'licensee',
  'stranger',
  'license',
  'licenseKey',
  'otherLicense',
] as const;
export type Who = (typeof WHO)[number];

/**
 * The route tables (§2.1 components, §3.1 processes, which agree): the status each
 * bearer gets on the cast's machine's component or process.
 */
export const ROUTE_TABLE = {
  /** Show, the related records, and the machine's list. */
  read: {
    admin: 200,
    developer: 200,
    'sales-agent': 200,
    'support-agent': 200,
    'read-only': 200,
    product: 200,
    otherProduct: 404,
    licenseOwner: 200,
    machineOwner: 200,
    licensee: 200,
    stranger: 404,
    license: 200,
    licenseKey: 200,
    otherLicense: 404,
  },
  create: {
    admin: 201,
    developer: 201,
    'sales-agent': 201,
    'support-agent': 403,
    'read-only': 403,
    product: 201,
    otherProduct: 403,
    licenseOwner: 201,
    machineOwner: 201,
    licensee: 403,
    stranger: 403,
    license: 201,
    licenseKey: 201,
    otherLicense: 403,
  },
  update: {
    admin: 200,
    developer: 200,
    'sales-agent': 200,
    'support-agent': 200,
    'read-only': 403,
    product: 200,
    otherProduct: 404,
    licenseOwner: 200,
    machineOwner: 200,
    licensee: 403,
    stranger: 404,
    license: 200,
    licenseKey: 200,
    otherLicense: 404,
  },
  destroy: {
    admin: 204,
    developer: 204,
    'sales-agent': 204,
    'support-agent': 403,
    'read-only': 403,
    product: 204,
    otherProduct: 404,
    licenseOwner: 204,
    machineOwner: 204,
    licensee: 403,
    stranger: 404,
    license: 204,
    licenseKey: 204,
    otherLicense: 404,
  },
} satisfies Record<string, Record<Who, number>>;

export interface Cast {
  a: GivenAccount;
  policy: Policy;
  license: License;
  /** On `license`, owned by `machineOwner` (a licensee). */
  machine: Machine;
  otherLicense: License;
  otherMachine: Machine;
  licenseOwner: User;
  licensee: User;
  machineOwner: User;
  stranger: User;
  auth: Record<Who, Record<string, string>>;
}

/**
 * The machines tests' cast (a floating policy with authentication MIXED, so license
 * tokens and keys both work, of one product; a license owned by a user with a licensee;
 * a second product with its own license) plus a second licensee who owns a machine on
 * the license, and a machine on the other license.
 */
export async function cast(
  t: TestApp,
  policyOpts: Partial<Policy> = {},
  licenseOpts: Partial<License> = {},
): Promise<Cast> {
  const g = given(t);
  const m = await machineCast(t, policyOpts, licenseOpts);
  const machineOwner = await g.user(m.a.account);
  await g.licenseUser(m.license, machineOwner.user);
  const machine = await g.machine(m.license, { ownerId: machineOwner.user.id });
  const otherMachine = await g.machine(m.otherLicense.license);
  return {
    a: m.a,
    policy: m.policy,
    license: m.license,
    machine,
    otherLicense: m.otherLicense.license,
    otherMachine,
    licenseOwner: m.licenseOwner.user,
    licensee: m.licensee.user,
    machineOwner: machineOwner.user,
    stranger: m.stranger.user,
    auth: {
      ...m.roles,
      product: m.product,
      otherProduct: m.otherProduct,
      licenseOwner: m.licenseOwner.auth,
      machineOwner: machineOwner.auth,
      licensee: m.licensee.auth,
      stranger: m.stranger.auth,
      license: m.licenseAuth,
      licenseKey: m.licenseKeyAuth,
      otherLicense: m.otherLicense.auth,
    },
  };
}

/** An environment with a license and a machine in it, and the environment's token. */
export async function environmentCast(
  t: TestApp,
  a: GivenAccount,
  isolationStrategy: 'ISOLATED' | 'SHARED' = 'ISOLATED',
): Promise<{
  environment: Environment;
  auth: Record<string, string>;
  license: License;
  machine: Machine;
}> {
  const g = given(t);
  const env = await g.environment(a.account, { isolationStrategy });
  const policy = await g.policy(a.account, {
    floating: true,
    maxMachines: null,
    environment: env.environment,
  });
  const lic = await g.license(a.account, { policy });
  const machine = await g.machine(lic.license);
  return { environment: env.environment, auth: env.auth, license: lic.license, machine };
}

/** Runs `call` for every bearer and returns the statuses, for one-line role tables. */
export async function statuses(
  auth: Record<Who, Record<string, string>>,
  call: (auth: Record<string, string>, who: Who) => PromiseLike<Response>,
  who: readonly Who[] = WHO,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const w of who) {
    out[w] = (await call(auth[w], w)).status;
  }
  return out;
}

/** Lists as every bearer, expecting 200 each time, and returns the sorted ids each one got. */
export async function listedBy(
  auth: Record<Who, Record<string, string>>,
  list: (auth: Record<string, string>) => PromiseLike<Response>,
): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const w of WHO) {
    const res = await list(auth[w]);
    expect(res.status).toBe(200);
    out[w] = ids(res);
  }
  return out;
}

/**
 * What a list shows each bearer: staff everything; the cast's product, users and
 * licenses the `own` records (on the cast's machine); the other product and license the
 * `foreign` ones (on the other machine); the stranger nothing.
 */
export function listScope(own: string[], foreign: string[]): Record<Who, string[]> {
  const all = [...own, ...foreign].sort();
  const mine = [...own].sort();
  const theirs = [...foreign].sort();
  return {
    admin: all,
    developer: all,
    'sales-agent': all,
    'support-agent': all,
    'read-only': all,
    product: mine,
    otherProduct: theirs,
    licenseOwner: mine,
    machineOwner: mine,
    licensee: mine,
    stranger: [],
    license: mine,
    licenseKey: mine,
    otherLicense: theirs,
  };
}

/** The exact `components` or `processes` resource of a child just made on the cast's (global) machine. */
export function childResource(
  c: Cast,
  type: 'components' | 'processes',
  id: string,
  attributes: Record<string, unknown>,
): Record<string, unknown> {
  const base = `/v1/accounts/${c.a.id}`;
  const self = `${base}/${type}/${id}`;
  return {
    id,
    type,
    attributes,
    relationships: {
      account: { links: { related: base }, data: { type: 'accounts', id: c.a.id } },
      environment: { links: { related: null }, data: null },
      product: {
        links: { related: `${self}/product` },
        data: { type: 'products', id: c.policy.productId },
      },
      license: {
        links: { related: `${self}/license` },
        data: { type: 'licenses', id: c.license.id },
      },
      machine: {
        links: { related: `${self}/machine` },
        data: { type: 'machines', id: c.machine.id },
      },
    },
    links: { self },
  };
}

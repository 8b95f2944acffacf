import type { Response } from 'supertest';
import type { Environment } from '@app/modules/environments/environment.entity';
import type { License } from '@app/modules/licenses/license.entity';
import type { Machine } from '@app/modules/machines/machine.entity';
import type { Policy } from '@app/modules/policies/policy.entity';
import type { User } from '@app/modules/users/user.entity';
import type { TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

/**
 * Shared cast for the components and processes e2e tests: one account with every
 * bearer kind the route tables of spec 03 §2.1 / §3.1 name, around one machine.
 */

export const FORBIDDEN = 'You do not have permission to complete the request';
export const FORBIDDEN_BEARER = `${FORBIDDEN} (ensure the token or license is allowed to access all resources)`;
export const RECORD_ENV = `${FORBIDDEN} (record environment is not compatible with the current environment)`;
export const lacks = (who: string): string =>
  `${FORBIDDEN} (${who} lacks permission to perform action)`;

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
 * A floating policy (authentication MIXED, so license tokens and keys both work) of
 * one product, a license owned by a user with two licensees, one of which owns the
 * machine; a second product with its own license and machine.
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
  const machineOwner = await g.user(a.account);
  const stranger = await g.user(a.account);
  const lic = await g.license(a.account, { policy, owner: owner.user, ...licenseOpts });
  await g.licenseUser(lic.license, licensee.user);
  await g.licenseUser(lic.license, machineOwner.user);
  const machine = await g.machine(lic.license, { ownerId: machineOwner.user.id });
  const otherPolicy = await g.policy(a.account, {
    product: other.product,
    floating: true,
    maxMachines: null,
    authenticationStrategy: 'MIXED',
  });
  const otherLicense = await g.license(a.account, { policy: otherPolicy });
  const otherMachine = await g.machine(otherLicense.license);
  const staff = {} as Record<
    'developer' | 'sales-agent' | 'support-agent' | 'read-only',
    Record<string, string>
  >;
  for (const role of ['developer', 'sales-agent', 'support-agent', 'read-only'] as const) {
    staff[role] = (await g.user(a.account, { role })).auth;
  }
  return {
    a,
    policy,
    license: lic.license,
    machine,
    otherLicense: otherLicense.license,
    otherMachine,
    licenseOwner: owner.user,
    licensee: licensee.user,
    machineOwner: machineOwner.user,
    stranger: stranger.user,
    auth: {
      admin: a.auth,
      ...staff,
      product: prod.auth,
      otherProduct: other.auth,
      licenseOwner: owner.auth,
      machineOwner: machineOwner.auth,
      licensee: licensee.auth,
      stranger: stranger.auth,
      license: lic.auth,
      licenseKey: lic.keyAuth,
      otherLicense: otherLicense.auth,
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

/** A 403 policy denial with the given detail (no code). */
export function expectForbidden(res: Response, detail = FORBIDDEN_BEARER): void {
  expect({ status: res.status, errors: res.body.errors }).toEqual({
    status: 403,
    errors: [{ title: 'Access denied', detail }],
  });
}

export function expectNotFound(res: Response, model: string, id: string): void {
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
  topic: 'components' | 'processes',
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

export function expectUnprocessable(
  res: Response,
  ...errors: Array<Record<string, unknown>>
): void {
  expect({ status: res.status, errors: res.body.errors }).toEqual({ status: 422, errors });
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

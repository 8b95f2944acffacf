import type { Bearer } from '@app/common/auth/bearer';
import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import type { Decision } from '@app/common/auth/policy';
import type { Role } from '@app/common/auth/roles';
import type { Caller } from '@app/modules/tokens/token.policy';
import { processPolicy, type ProcessFacts } from './process.policy';

const ENV = '00000000-0000-4000-8000-00000000000e';
const ME = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';

type Who =
  | Exclude<Role, 'user' | 'product' | 'license'>
  | 'product'
  | 'otherProduct'
  | 'licenseOwner'
  | 'machineOwner'
  | 'licensee'
  | 'stranger'
  | 'license'
  | 'otherLicense';

const WHO: Who[] = [
  'admin',
  'developer',
  'sales-agent',
  'support-agent',
  'read-only',
  'environment',
  'product',
  'otherProduct',
  'licenseOwner',
  'machineOwner',
  'licensee',
  'stranger',
  'license',
  'otherLicense',
];

function roleOf(w: Who): Role {
  switch (w) {
    case 'otherProduct':
      return 'product';
    case 'licenseOwner':
    case 'machineOwner':
    case 'licensee':
    case 'stranger':
      return 'user';
    case 'otherLicense':
      return 'license';
    default:
      return w;
  }
}

function caller(w: Who): Caller {
  const role = roleOf(w);
  const id = ['otherProduct', 'otherLicense', 'stranger', 'licensee'].includes(w) ? OTHER : ME;
  const type =
    role === 'product'
      ? 'products'
      : role === 'license'
        ? 'licenses'
        : role === 'environment'
          ? 'environments'
          : 'users';
  const bearer: Bearer = {
    type,
    id: role === 'environment' ? ENV : id,
    role,
    permissions: [...DEFAULT_PERMISSIONS[role]],
    environmentId: null,
    record: {},
  };
  return {
    bearer,
    tokenPermissions: null,
    tokenEnvironmentId: null,
    scope: { accountId: 'acct', environmentId: role === 'environment' ? ENV : null, shared: false },
  };
}

/** A process on license ME (owned by user ME) of product ME; the machine owner varies. */
function facts(w: Who, over: Partial<ProcessFacts> = {}): ProcessFacts {
  return {
    environmentId: roleOf(w) === 'environment' ? ENV : null,
    licenseId: ME,
    productId: ME,
    machineOwnerId: w === 'machineOwner' ? ME : null,
    licenseOwnerId: w === 'licenseOwner' ? ME : '00000000-0000-4000-8000-000000000009',
    licenseProtected: false,
    bearerIsLicensee: w === 'licensee' || w === 'machineOwner',
    ...over,
  };
}

const table = (rule: (c: Caller, f: ProcessFacts) => Decision, over: Partial<ProcessFacts> = {}) =>
  Object.fromEntries(WHO.map((w) => [w, rule(caller(w), facts(w, over)) === true]));

const only = (...allowed: Who[]) => Object.fromEntries(WHO.map((w) => [w, allowed.includes(w)]));

describe('processPolicy truth tables (spec 03 §3.1)', () => {
  const READERS = only(
    'admin',
    'developer',
    'sales-agent',
    'support-agent',
    'read-only',
    'environment',
    'product',
    'licenseOwner',
    'machineOwner',
    'licensee',
    'license',
  );

  it('show', () => {
    expect(table(processPolicy.show)).toEqual(READERS);
  });

  it('create (spawn) and destroy (kill)', () => {
    const writers = only(
      'admin',
      'developer',
      'sales-agent',
      'environment',
      'product',
      'licenseOwner',
      'machineOwner',
      'license',
    );
    expect(table(processPolicy.create)).toEqual(writers);
    expect(table(processPolicy.destroy)).toEqual(writers);
  });

  it('update adds support agents', () => {
    expect(table(processPolicy.update)).toEqual(
      only(
        'admin',
        'developer',
        'sales-agent',
        'support-agent',
        'environment',
        'product',
        'licenseOwner',
        'machineOwner',
        'license',
      ),
    );
  });

  it('ping leaves out sales and support agents', () => {
    expect(table(processPolicy.ping)).toEqual(
      only(
        'admin',
        'developer',
        'environment',
        'product',
        'licenseOwner',
        'machineOwner',
        'license',
      ),
    );
  });

  it('a protected license shuts users out of writes, not the license', () => {
    const p = { licenseProtected: true };
    for (const rule of [
      processPolicy.create,
      processPolicy.update,
      processPolicy.destroy,
      processPolicy.ping,
    ]) {
      const t = table(rule, p);
      expect(t.licenseOwner).toBe(false);
      expect(t.machineOwner).toBe(false);
      expect(t.license).toBe(true);
      expect(t.product).toBe(true);
    }
    expect(table(processPolicy.show, p).licenseOwner).toBe(true);
  });

  it('names the missing permission', () => {
    const c = caller('license');
    c.bearer = { ...c.bearer, permissions: ['process.read'] };
    expect(processPolicy.create(c, facts('license'))).toEqual({
      reason: 'license lacks permission to perform action',
    });
    const t = caller('admin');
    t.tokenPermissions = new Set(['process.read']);
    expect(processPolicy.ping(t, facts('admin'))).toEqual({
      reason: 'token lacks permission to perform action',
    });
  });

  it('writes need the record in the current environment; reads accept global from a shared one', () => {
    const shared = caller('environment');
    shared.scope = { ...shared.scope, shared: true };
    expect(processPolicy.show(shared, facts('environment', { environmentId: null }))).toBe(true);
    expect(processPolicy.update(shared, facts('environment', { environmentId: null }))).toEqual({
      reason: 'record environment is not compatible with the current environment',
    });
  });

  it('an unknown machine on spawn leaves only staff', () => {
    const unknown = {
      licenseId: null,
      productId: null,
      licenseOwnerId: null,
      machineOwnerId: null,
    };
    expect(table(processPolicy.create, unknown)).toEqual(
      only('admin', 'developer', 'sales-agent', 'environment'),
    );
  });
});

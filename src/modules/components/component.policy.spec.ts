import type { Bearer } from '@app/common/auth/bearer';
import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import type { Decision } from '@app/common/auth/policy';
import type { Role } from '@app/common/auth/roles';
import type { Caller } from '@app/modules/tokens/token.policy';
import { componentPolicy, type ComponentFacts } from './component.policy';

const ME = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';

type Who =
  | 'admin'
  | 'developer'
  | 'sales-agent'
  | 'support-agent'
  | 'read-only'
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
  'product',
  'otherProduct',
  'licenseOwner',
  'machineOwner',
  'licensee',
  'stranger',
  'license',
  'otherLicense',
];

function caller(w: Who): Caller {
  const role: Role =
    w === 'otherProduct'
      ? 'product'
      : w === 'otherLicense'
        ? 'license'
        : ['licenseOwner', 'machineOwner', 'licensee', 'stranger'].includes(w)
          ? 'user'
          : (w as Role);
  const bearer: Bearer = {
    type: role === 'product' ? 'products' : role === 'license' ? 'licenses' : 'users',
    id: ['otherProduct', 'otherLicense', 'stranger', 'licensee'].includes(w) ? OTHER : ME,
    role,
    permissions: [...DEFAULT_PERMISSIONS[role]],
    environmentId: null,
    record: {},
  };
  return {
    bearer,
    tokenPermissions: null,
    tokenEnvironmentId: null,
    scope: { accountId: 'a', environmentId: null, shared: false },
  };
}

function facts(w: Who, over: Partial<ComponentFacts> = {}): ComponentFacts {
  return {
    environmentId: null,
    licenseId: ME,
    productId: ME,
    machineOwnerId: w === 'machineOwner' ? ME : null,
    licenseOwnerId: w === 'licenseOwner' ? ME : '00000000-0000-4000-8000-000000000009',
    licenseProtected: false,
    bearerIsLicensee: w === 'licensee' || w === 'machineOwner',
    ...over,
  };
}

const table = (
  rule: (c: Caller, f: ComponentFacts) => Decision,
  over: Partial<ComponentFacts> = {},
) => Object.fromEntries(WHO.map((w) => [w, rule(caller(w), facts(w, over)) === true]));
const only = (...allowed: Who[]) => Object.fromEntries(WHO.map((w) => [w, allowed.includes(w)]));

describe('componentPolicy truth tables (spec 03 §2.1)', () => {
  it('show: staff, the product, the license’s users, the license', () => {
    expect(table(componentPolicy.show)).toEqual(
      only(
        'admin',
        'developer',
        'sales-agent',
        'support-agent',
        'read-only',
        'product',
        'licenseOwner',
        'machineOwner',
        'licensee',
        'license',
      ),
    );
  });

  it('create and destroy: no support or read-only, users only as owners', () => {
    const writers = only(
      'admin',
      'developer',
      'sales-agent',
      'product',
      'licenseOwner',
      'machineOwner',
      'license',
    );
    expect(table(componentPolicy.create)).toEqual(writers);
    expect(table(componentPolicy.destroy)).toEqual(writers);
  });

  it('update adds support agents', () => {
    expect(table(componentPolicy.update)).toEqual(
      only(
        'admin',
        'developer',
        'sales-agent',
        'support-agent',
        'product',
        'licenseOwner',
        'machineOwner',
        'license',
      ),
    );
  });

  it('protection shuts users out of writes only', () => {
    for (const rule of [componentPolicy.create, componentPolicy.update, componentPolicy.destroy]) {
      const t = table(rule, { licenseProtected: true });
      expect([t.licenseOwner, t.machineOwner, t.license]).toEqual([false, false, true]);
    }
  });

  it('related reads need the related permission', () => {
    expect(
      componentPolicy.readRelated(caller('license'), facts('license'), 'product.read', null),
    ).toEqual({
      reason: 'license lacks permission to perform action',
    });
    expect(
      componentPolicy.readRelated(caller('license'), facts('license'), 'license.read', null),
    ).toBe(true);
  });
});

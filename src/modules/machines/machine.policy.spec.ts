import type { Bearer } from '@app/common/auth/bearer';
import type { Role } from '@app/common/auth/roles';
import type { Caller } from '@app/modules/tokens/token.policy';
import { machinePolicy, type MachineFacts } from './machine.policy';

const LICENSE = '00000000-0000-4000-8000-00000000000a';
const PRODUCT = '00000000-0000-4000-8000-00000000000b';
const OWNER = '00000000-0000-4000-8000-00000000000c';
const LICENSEE = '00000000-0000-4000-8000-00000000000d';

function caller(role: Role, id = '00000000-0000-4000-8000-000000000001'): Caller {
  const bearer: Bearer = {
    type: 'users',
    id,
    role,
    permissions: ['*'],
    environmentId: null,
    record: {},
  };
  if (role === 'product') {
    bearer.type = 'products';
  }
  if (role === 'license') {
    bearer.type = 'licenses';
  }
  if (role === 'environment') {
    bearer.type = 'environments';
  }
  return {
    bearer,
    tokenPermissions: null,
    tokenEnvironmentId: null,
    scope: { accountId: 'a', environmentId: null, shared: false },
  };
}

const machine = (f: Partial<MachineFacts> = {}): MachineFacts => ({
  id: 'm',
  environmentId: null,
  licenseId: LICENSE,
  productId: PRODUCT,
  ownerId: null,
  licenseOwnerId: OWNER,
  licenseProtected: false,
  bearerIsLicensee: false,
  ...f,
});

const allowed = (d: unknown) => d === true;

describe('machinePolicy truth tables', () => {
  const table: Array<[string, Caller, Partial<MachineFacts>, Record<string, boolean>]> = [
    [
      'admin',
      caller('admin'),
      {},
      { update: true, destroy: true, ping: true, reset: true, checkOut: true },
    ],
    [
      'sales-agent',
      caller('sales-agent'),
      {},
      { update: true, destroy: true, ping: false, reset: true, checkOut: true },
    ],
    [
      'support-agent',
      caller('support-agent'),
      {},
      { update: true, destroy: false, ping: false, reset: false, checkOut: true },
    ],
    [
      'own product',
      caller('product', PRODUCT),
      {},
      { update: true, destroy: true, ping: true, reset: true, checkOut: true },
    ],
    [
      'license owner',
      caller('user', OWNER),
      {},
      { update: true, destroy: true, ping: true, reset: false, checkOut: true },
    ],
    [
      'license owner, protected',
      caller('user', OWNER),
      { licenseProtected: true },
      { update: false, destroy: false, ping: false, reset: false, checkOut: false },
    ],
    [
      'licensee',
      caller('user', LICENSEE),
      { bearerIsLicensee: true },
      { update: false, destroy: false, ping: false, reset: false, checkOut: true },
    ],
    [
      'license',
      caller('license', LICENSE),
      {},
      { update: true, destroy: true, ping: true, reset: false, checkOut: true },
    ],
    [
      'license, protected',
      caller('license', LICENSE),
      { licenseProtected: true },
      { update: false, destroy: true, ping: true, reset: false, checkOut: true },
    ],
  ];
  it.each(table)('%s', (_, c, facts, expected) => {
    const m = machine(facts);
    const got = {
      update: allowed(machinePolicy.update(c, m)),
      destroy: allowed(machinePolicy.destroy(c, m)),
      ping: allowed(machinePolicy.ping(c, m)),
      reset: allowed(machinePolicy.reset(c, m)),
      checkOut: allowed(machinePolicy.checkOut(c, m)),
    };
    expect(got).toEqual(expected);
  });

  it('lets a user activate as owner or named owner, never on a protected license', () => {
    const license = { id: LICENSE, productId: PRODUCT, ownerId: OWNER, protected: false };
    expect(
      allowed(
        machinePolicy.create(
          caller('user', OWNER),
          { environmentId: null, ownerId: null, license },
          false,
        ),
      ),
    ).toBe(true);
    expect(
      allowed(
        machinePolicy.create(
          caller('user', LICENSEE),
          { environmentId: null, ownerId: LICENSEE, license },
          false,
        ),
      ),
    ).toBe(true);
    expect(
      allowed(
        machinePolicy.create(
          caller('user', LICENSEE),
          { environmentId: null, ownerId: null, license },
          false,
        ),
      ),
    ).toBe(false);
    expect(
      allowed(
        machinePolicy.create(
          caller('user', OWNER),
          { environmentId: null, ownerId: null, license: { ...license, protected: true } },
          false,
        ),
      ),
    ).toBe(false);
    expect(
      allowed(
        machinePolicy.create(
          caller('support-agent'),
          { environmentId: null, ownerId: null, license },
          false,
        ),
      ),
    ).toBe(false);
  });
});

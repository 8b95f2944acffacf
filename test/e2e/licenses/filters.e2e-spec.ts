import type { License } from '@app/modules/licenses/license.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import type { Given } from './crud-support';

const DAY = 24 * 3600 * 1000;
const NOW = new Date('2024-05-15T12:00:00.000Z');

/** `GET /licenses` filters (spec 02 §4.6), each checked against the real SQL. */
describe('GET /v1/accounts/:account/licenses filters', () => {
  let t: TestApp;
  let g: Given;
  let a: GivenAccount;
  let l: Record<'l1' | 'l2' | 'l3' | 'l4' | 'l5', License>;
  let ctx: {
    p1: string;
    productX: string;
    u1: { id: string; email: string };
    group: string;
    machine: string;
  };

  const list = async (query: string): Promise<string[]> => {
    const res = await t.http.get(`${a.base}/licenses?${query}`).set(a.auth).expect(200);
    return (res.body.data as Array<{ id: string }>).map((d) => d.id).sort();
  };
  const names = (...keys: Array<keyof typeof l>) => keys.map((k) => l[k].id).sort();
  const at = (ms: number) => new Date(NOW.getTime() + ms);
  const unix = (d: Date) => String(Math.floor(d.getTime() / 1000));
  const q = (s: string) => encodeURIComponent(s);

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    t.clock.freeze(NOW);
    a = await g.account();
    const productX = await g.product(a.account);
    const p1 = await g.policy(a.account, { product: productX.product, floating: true });
    const p2 = await g.policy(a.account, { floating: true });
    const u1 = await g.user(a.account);
    const banned = await g.user(a.account, { banned: true });
    const grp = await g.group(a.account);
    const l1 = await g.license(a.account, {
      policy: p1,
      owner: u1.user,
      groupId: grp.id,
      expiry: at(DAY),
      metadata: {
        tier: 'gold',
        count: 1,
        flag: true,
        nested: { a: 'b' },
        tags: ['x', 'y'],
        some_key: 'v',
      },
    });
    const l2 = await g.license(a.account, { policy: p2, suspended: true, expiry: at(-10 * DAY) });
    await g.licenseUser(l2.license, u1.user);
    const l3 = await g.license(a.account, { policy: p2, createdAt: at(-100 * DAY) });
    const l4 = await g.license(a.account, { policy: p2, owner: banned.user });
    const l5 = await g.license(a.account, {
      policy: p2,
      expiry: at(30 * DAY),
      createdAt: at(-100 * DAY),
      lastValidatedAt: at(-20 * DAY),
      metadata: { tier: 'silver', count: '1' },
    });
    const m1 = await g.machine(l1.license);
    await g.machine(l2.license);
    await g.machine(l2.license);
    l = { l1: l1.license, l2: l2.license, l3: l3.license, l4: l4.license, l5: l5.license };
    ctx = {
      p1: p1.id,
      productX: productX.product.id,
      u1: { id: u1.user.id, email: u1.user.email },
      group: grp.id,
      machine: m1.id,
    };
  });
  afterAll(async () => {
    t.clock.reset();
    await t.close();
  });

  it('filters by policy, product, group and machine; non-UUIDs match nothing', async () => {
    expect(await list(`policy=${ctx.p1}`)).toEqual(names('l1'));
    expect(await list(`product=${ctx.productX}`)).toEqual(names('l1'));
    expect(await list(`group=${ctx.group}`)).toEqual(names('l1'));
    expect(await list(`machine=${ctx.machine}`)).toEqual(names('l1'));
    expect(await list('policy=nope')).toEqual([]);
    expect(await list('machine=nope')).toEqual([]);
    expect(await list('policy=')).toHaveLength(5);
  });

  it('filters by owner (id or exact e-mail) and user (owner or licensee)', async () => {
    expect(await list(`owner=${ctx.u1.id}`)).toEqual(names('l1'));
    expect(await list(`owner=${q(ctx.u1.email)}`)).toEqual(names('l1'));
    expect(await list(`owner=${q(ctx.u1.email.toUpperCase())}`)).toEqual([]);
    expect(await list(`user=${ctx.u1.id}`)).toEqual(names('l1', 'l2'));
    expect(await list(`user=${q(ctx.u1.email)}`)).toEqual(names('l1', 'l2'));
    expect(await list('user=nobody@example.com')).toEqual([]);
  });

  it('filters by status (case-insensitive), with activity sets excluding banned owners', async () => {
    expect(await list('status=ACTIVE')).toEqual(names('l1', 'l2', 'l5'));
    expect(await list('status=inactive')).toEqual(names('l3'));
    expect(await list('status=EXPIRING')).toEqual(names('l1'));
    expect(await list('status=expired')).toEqual(names('l2'));
    expect(await list('status=SUSPENDED')).toEqual(names('l2'));
    expect(await list('status=BANNED')).toEqual(names('l4'));
    expect(await list('status=WHATEVER')).toEqual([]);
  });

  it('filters by suspended, expiring and expired flags', async () => {
    expect(await list('suspended=true')).toEqual(names('l2'));
    expect(await list('suspended=false')).toEqual(names('l1', 'l3', 'l4', 'l5'));
    expect(await list('expiring=1')).toEqual(names('l1'));
    expect(await list('expiring=0')).toEqual(names('l2', 'l3', 'l4', 'l5'));
    expect(await list('expired=true')).toEqual(names('l2'));
    expect(await list('expired=false')).toEqual(names('l1', 'l3', 'l4', 'l5'));
  });

  it('filters by expired[within|in|before|after|on]', async () => {
    expect(await list('expired[within]=31d')).toEqual(names('l2'));
    expect(await list('expired[in]=P13DT59M59S')).toEqual(names('l2'));
    expect(await list(`expired[within]=${5 * 86400}`)).toEqual([]);
    expect(await list(`expired[before]=${q(at(-5 * DAY).toISOString())}`)).toEqual(names('l2'));
    expect(await list(`expired[before]=${unix(at(-11 * DAY))}`)).toEqual([]);
    expect(await list(`expired[after]=${unix(at(-20 * DAY))}`)).toEqual(names('l2'));
    expect(await list('expired[on]=2024-05-05')).toEqual(names('l2'));
    expect(await list('expired[on]=2024-05-06')).toEqual([]);
    expect(await list('expired[unknown]=1')).toEqual(names('l2'));
  });

  it('filters by expires[within|in|before|after|on]', async () => {
    expect(await list('expires[within]=2d')).toEqual(names('l1'));
    expect(await list('expires[in]=31d')).toEqual(names('l1', 'l5'));
    expect(await list('expires[within]=1M')).toEqual(names('l1', 'l5'));
    expect(await list(`expires[before]=${q(at(2 * DAY).toISOString())}`)).toEqual(names('l1'));
    expect(await list(`expires[after]=${unix(at(10 * DAY))}`)).toEqual(names('l5'));
    expect(await list('expires[on]=2024-06-14')).toEqual(names('l5'));
  });

  it.each([
    'expired[within]=invalid',
    'expires[within]=invalid',
    'expires[within]=0',
    'expires[before]=90d',
    'expires[after]=invalid',
    'expires[on]=2024-02-30',
    'expires[foo]=1',
    'activity[inside]=nope',
    'activity[before]=90d',
    'activity[foo]=1',
  ])('answers an empty list for %s', async (query) => {
    expect(await list(query)).toEqual([]);
  });

  it('filters by activity[inside|outside|before|after]', async () => {
    expect(await list('activity[inside]=30d')).toEqual(names('l1', 'l2', 'l5'));
    expect(await list('activity[inside]=10d')).toEqual(names('l1', 'l2'));
    expect(await list('activity[outside]=30d')).toEqual(names('l3'));
    expect(await list(`activity[before]=${q(at(-10 * DAY).toISOString())}`)).toEqual(
      names('l3', 'l5'),
    );
    expect(await list(`activity[after]=${unix(at(-21 * DAY))}`)).toEqual(names('l1', 'l2', 'l5'));
  });

  it('filters by assignment and activations', async () => {
    expect(await list('assigned=true')).toEqual(names('l1', 'l2', 'l4'));
    expect(await list('assigned=false')).toEqual(names('l3', 'l5'));
    expect(await list('unassigned=true')).toEqual(names('l3', 'l5'));
    expect(await list('activated=true')).toEqual(names('l1', 'l2'));
    expect(await list('activated=false')).toEqual(names('l3', 'l4', 'l5'));
    expect(await list('activations[eq]=1')).toEqual(names('l1'));
    expect(await list('activations[gt]=1')).toEqual(names('l2'));
    expect(await list('activations[gte]=1')).toEqual(names('l1', 'l2'));
    expect(await list('activations[lt]=1')).toEqual(names('l3', 'l4', 'l5'));
    expect(await list('activations[lte]=1')).toEqual(names('l1', 'l3', 'l4', 'l5'));
    expect(await list('activations[foo]=1')).toEqual([]);
  });

  it('filters by metadata containment with typed values; prefixes do not match', async () => {
    expect(await list('metadata[tier]=gold')).toEqual(names('l1'));
    expect(await list('metadata[tier]=gol')).toEqual([]);
    expect(await list('metadata[count]=1')).toEqual(names('l1', 'l5'));
    expect(await list('metadata[flag]=true')).toEqual(names('l1'));
    expect(await list('metadata[someKey]=v')).toEqual(names('l1'));
    expect(await list('metadata[nested][a]=b')).toEqual(names('l1'));
    expect(await list('metadata[tags][]=x')).toEqual(names('l1'));
    expect(await list('metadata[tier]=gold&metadata[count]=2')).toEqual([]);
  });

  it('combines filters', async () => {
    expect(await list(`user=${ctx.u1.id}&suspended=true`)).toEqual(names('l2'));
    expect(await list(`user=${ctx.u1.id}&status=expiring`)).toEqual(names('l1'));
  });
});

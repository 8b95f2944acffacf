import { LicenseUser } from '@app/modules/licenses/license.entity';
import { Machine } from '@app/modules/machines/machine.entity';
import { bootApp, type TestApp } from '../../../support/app';
import { given } from '../../../support/factories';
import {
  RECORDS_ENV,
  badRequest,
  expectSigned,
  lacks,
  licenseError,
  notFound,
  readMatrix,
  relationshipUrl,
  statuses,
  toMany,
  userLimitExceeded,
  world,
  writeMatrix,
  type World,
} from './support';

/** A 422 on the `user` relationship of a license. */
const userError = (code: string, detail: string) =>
  licenseError('relationships/user', code, detail);

describe('/v1/accounts/:account/licenses/:license/users', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
  });
  afterAll(() => t.close());

  const url = relationshipUrl('users');
  const linkage = toMany('user');
  const newUser = async (w: World, opts: Parameters<typeof g.user>[1] = {}) =>
    (await g.user(w.a.account, { password: null, ...opts })).user;
  const licensees = async (licenseId: string) =>
    (await t.ds.getRepository(LicenseUser).findBy({ licenseId })).map((lu) => lu.userId).sort();

  describe('GET (index, show)', () => {
    let w: World;
    beforeAll(async () => {
      w = await world(t, { licensePermissions: ['user.read'] });
    });

    it('lists the owner and the licensees to readers, the own product, its users and itself', async () => {
      expect(await statuses(w, (auth, id) => t.http.get(url(w, id)).set(auth))).toEqual(
        readMatrix('owner', 'licensee', 'license'),
      );
      const res = await t.http.get(url(w, w.key)).set(w.a.auth).expect(200);
      expectSigned(res);
      expect(res.body.data.map((u: { id: string }) => u.id).sort()).toEqual(
        [w.owner.id, w.licensee.id].sort(),
      );
      const mine = await t.http.get(url(w, w.license.id)).set(w.auth.licensee).expect(200);
      expect(mine.body.data).toHaveLength(2);
    });

    it('shows products only user-role users', async () => {
      const admin = await newUser(w, { role: 'developer' });
      const l = await g.license(w.a.account, { policy: w.policy, owner: admin });
      await g.licenseUser(l.license, w.stranger);
      const staff = await t.http.get(url(w, l.license.id)).set(w.a.auth).expect(200);
      expect(staff.body.data).toHaveLength(2);
      const product = await t.http.get(url(w, l.license.id)).set(w.auth.product).expect(200);
      expect(product.body.data.map((u: { id: string }) => u.id)).toEqual([w.stranger.id]);
    });

    it('shows one user by id or email, 404 otherwise', async () => {
      const res = await t.http
        .get(url(w, w.license.id, w.licensee.email))
        .set(w.auth.owner)
        .expect(200);
      expect(res.body.data).toMatchObject({ id: w.licensee.id, type: 'users' });
      await t.http
        .get(url(w, w.license.id, w.owner.id))
        .set(w.auth.license)
        .expect(200);
      const missing = await t.http
        .get(url(w, w.license.id, w.stranger.id))
        .set(w.a.auth)
        .expect(404);
      expect(missing.body.errors).toEqual([notFound('user', w.stranger.id)]);
    });

    it('needs user.read (licenses lack it by default)', async () => {
      const w2 = await world(t);
      const res = await t.http.get(url(w2, w2.license.id)).set(w2.auth.license).expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: lacks('license') }]);
    });
  });

  describe('POST (attach)', () => {
    let w: World;
    beforeAll(async () => {
      w = await world(t, { userPermissions: ['license.users.attach', 'license.users.detach'] });
    });

    it('role matrix: staff (read-only lacks the permission), own product, unprotected owner', async () => {
      const call = async (auth: Record<string, string>, id: string) => {
        const u = await newUser(w, id === w.envLicense.id ? { environment: w.environment } : {});
        return t.http.post(url(w, id)).set(auth).send(linkage(u.id));
      };
      expect(await statuses(w, call)).toEqual(writeMatrix('support-agent', 'owner'));
      const ro = await g.user(w.a.account, { role: 'read-only', password: null });
      const res = await t.http
        .post(url(w, w.license.id))
        .set(ro.auth)
        .send(linkage(w.stranger.id))
        .expect(403);
      expect(res.body.errors[0].detail).toBe(lacks('read only'));
    });

    it('attaches (200, license-users) and emits license.users.attached', async () => {
      const l = await g.license(w.a.account, { policy: w.policy });
      const [u1, u2] = [await newUser(w), await newUser(w)];
      const before = t.events.named('license.users.attached', w.a.id).length;
      const res = await t.http
        .post(url(w, l.license.id))
        .set(w.a.auth)
        .send(linkage(u1.id, u2.id))
        .expect(200);
      expectSigned(res);
      expect(res.headers.location).toBeUndefined();
      const base = `/v1/accounts/${w.a.id}`;
      expect(res.body.data).toHaveLength(2);
      expect(res.body.data[0]).toEqual({
        id: expect.any(String),
        type: 'license-users',
        attributes: { created: expect.any(String), updated: expect.any(String) },
        relationships: {
          account: { links: { related: base }, data: { type: 'accounts', id: w.a.id } },
          environment: { links: { related: null }, data: null },
          license: {
            links: { related: `${base}/licenses/${l.license.id}` },
            data: { type: 'licenses', id: l.license.id },
          },
          user: {
            links: { related: `${base}/users/${u1.id}` },
            data: { type: 'users', id: u1.id },
          },
        },
        links: { related: `${base}/licenses/${l.license.id}/users/${u1.id}` },
      });
      expect(await licensees(l.license.id)).toEqual([u1.id, u2.id].sort());
      const events = t.events.named('license.users.attached', w.a.id);
      expect(events).toHaveLength(before + 1);
      expect((events[events.length - 1].resource.record as unknown[]).length).toBe(2);
      const lic = await t.http
        .get(`${w.a.base}/licenses/${l.license.id}/users`)
        .set(w.a.auth)
        .expect(200);
      expect(lic.body.data).toHaveLength(2);
    });

    it('forbids the owner of a protected license', async () => {
      const l = await g.license(w.a.account, { policy: w.policy, owner: w.owner, protected: true });
      await t.http
        .post(url(w, l.license.id))
        .set(w.auth.owner)
        .send(linkage(w.stranger.id))
        .expect(403);
    });

    it('forbids default users (no license.users.attach)', async () => {
      const w2 = await world(t);
      const res = await t.http
        .post(url(w2, w2.license.id))
        .set(w2.auth.owner)
        .send(linkage(w2.stranger.id))
        .expect(403);
      expect(res.body.errors[0].detail).toBe(lacks('user'));
    });

    it('422 USER_CONFLICT for the owner, USER_TAKEN for a licensee, nothing attached', async () => {
      const fresh = await newUser(w);
      const conflict = await t.http
        .post(url(w, w.license.id))
        .set(w.a.auth)
        .send(linkage(fresh.id, w.owner.id))
        .expect(422);
      expect(conflict.body.errors).toEqual([
        userError('USER_CONFLICT', 'already exists (user is attached through owner)'),
      ]);
      const taken = await t.http
        .post(url(w, w.license.id))
        .set(w.a.auth)
        .send(linkage(w.licensee.id))
        .expect(422);
      expect(taken.body.errors).toEqual([userError('USER_TAKEN', 'already exists')]);
      const dup = await t.http
        .post(url(w, w.license.id))
        .set(w.a.auth)
        .send(linkage(fresh.id, fresh.id))
        .expect(422);
      expect(dup.body.errors[0].code).toBe('USER_TAKEN');
      expect(await licensees(w.license.id)).not.toContain(fresh.id);
    });

    it('422 USER_NOT_FOUND for an unknown user or another account’s', async () => {
      const other = await g.account();
      const foreign = await g.user(other.account, { password: null });
      for (const id of ['d22692b1-0b4b-4cb7-9e3e-449e0fdf9cd8', foreign.user.id]) {
        const res = await t.http
          .post(url(w, w.license.id))
          .set(w.a.auth)
          .send(linkage(w.stranger.id, id))
          .expect(422);
        expect(res.body.errors).toEqual([userError('USER_NOT_FOUND', 'must exist')]);
      }
      expect(await licensees(w.license.id)).not.toContain(w.stranger.id);
    });

    it('400 for 0 or 101 items and bad linkages', async () => {
      const cases: Array<[unknown, string, string]> = [
        [{ data: [] }, 'length must be between 1 and 100 (inclusive)', '/data'],
        [
          { data: Array.from({ length: 101 }, () => ({ type: 'users', id: w.stranger.id })) },
          'length must be between 1 and 100 (inclusive)',
          '/data',
        ],
        [
          { data: { type: 'users', id: w.stranger.id } },
          'type mismatch (received object expected array)',
          '/data',
        ],
        [{ data: [{ type: 'licenses', id: w.stranger.id }] }, 'is invalid', '/data/0/type'],
        [
          { data: [{ type: 'users', id: 'x' }] },
          'type mismatch (received string expected UUID string)',
          '/data/0/id',
        ],
        [{}, 'is missing', '/data'],
      ];
      for (const [payload, detail, pointer] of cases) {
        const res = await t.http
          .post(url(w, w.license.id))
          .set(w.a.auth)
          .send(payload as object)
          .expect(400);
        expect(res.body.errors).toEqual([badRequest(detail, pointer)]);
      }
    });

    it('attaches 100 users at once', async () => {
      const l = await g.license(w.a.account, { policy: w.policy });
      const ids = await Promise.all(Array.from({ length: 100 }, async () => (await newUser(w)).id));
      const res = await t.http
        .post(url(w, l.license.id))
        .set(w.a.auth)
        .send(linkage(...ids))
        .expect(200);
      expect(res.body.data).toHaveLength(100);
    });

    it('forbids attaching environment users to a global license', async () => {
      const envUser = await newUser(w, { environment: w.environment });
      const res = await t.http
        .post(url(w, w.license.id))
        .set(w.a.auth)
        .send(linkage(envUser.id))
        .expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: RECORDS_ENV }]);
    });
  });

  describe('POST (attach): user limits', () => {
    const attempt = async (
      overageStrategy: string,
      maxUsers: number,
      existing: number,
      adding: number,
    ) => {
      const w = await world(t, { policy: { overageStrategy, maxUsers } });
      const l = await g.license(w.a.account, { policy: w.policy, owner: w.stranger });
      for (let i = 0; i < existing; i++) {
        await g.licenseUser(l.license, await newUser(w));
      }
      const ids = await Promise.all(
        Array.from({ length: adding }, async () => (await newUser(w)).id),
      );
      const res = await t.http
        .post(url(w, l.license.id))
        .set(w.a.auth)
        .send(linkage(...ids));
      return { res, l: l.license };
    };

    it.each([
      ['NO_OVERAGE', 5, 1, 3, 200],
      ['NO_OVERAGE', 5, 1, 4, 422],
      ['ALWAYS_ALLOW_OVERAGE', 2, 1, 4, 200],
      ['ALLOW_1_25X_OVERAGE', 4, 0, 4, 200],
      ['ALLOW_1_25X_OVERAGE', 4, 0, 5, 422],
      ['ALLOW_1_5X_OVERAGE', 2, 0, 2, 200],
      ['ALLOW_1_5X_OVERAGE', 2, 0, 3, 422],
      ['ALLOW_2X_OVERAGE', 2, 1, 2, 200],
      ['ALLOW_2X_OVERAGE', 2, 1, 3, 422],
    ])(
      '%s, maxUsers %i, owner + %i licensees, adding %i → %i',
      async (strategy, max, existing, adding, status) => {
        const { res, l } = await attempt(strategy, max, existing, adding);
        expect(res.status).toBe(status);
        if (status === 422) {
          expect(res.body.errors).toEqual([userLimitExceeded(max)]);
          // all or nothing
          expect(await licensees(l.id)).toHaveLength(existing);
        }
      },
    );
  });

  describe('DELETE (detach)', () => {
    let w: World;
    beforeAll(async () => {
      w = await world(t, { userPermissions: ['license.users.attach', 'license.users.detach'] });
    });

    it('detaches (204), nulls the detached users’ machines on the license, emits license.users.detached', async () => {
      const l = await g.license(w.a.account, { policy: w.policy, owner: w.owner });
      const [u1, u2] = [await newUser(w), await newUser(w)];
      await g.licenseUser(l.license, u1);
      await g.licenseUser(l.license, u2);
      const m1 = await g.machine(l.license, { ownerId: u1.id });
      const m2 = await g.machine(l.license, { ownerId: u2.id });
      const before = t.events.named('license.users.detached', w.a.id).length;
      const res = await t.http
        .delete(url(w, l.license.id))
        .set(w.auth.owner)
        .send(linkage(u1.id))
        .expect(204);
      expect(res.text).toBe('');
      expect(await licensees(l.license.id)).toEqual([u2.id]);
      const machines = t.ds.getRepository(Machine);
      expect((await machines.findOneByOrFail({ id: m1.id })).ownerId).toBeNull();
      expect((await machines.findOneByOrFail({ id: m2.id })).ownerId).toBe(u2.id);
      expect(t.events.named('license.users.detached', w.a.id)).toHaveLength(before + 1);
    });

    it('403 for the owner, with its index', async () => {
      const res = await t.http
        .delete(url(w, w.license.id))
        .set(w.a.auth)
        .send(linkage(w.licensee.id, w.owner.id))
        .expect(403);
      expect(res.body.errors).toEqual([
        {
          title: 'Access denied',
          detail: `cannot detach user '${w.owner.id}' (user is attached through owner)`,
          source: { pointer: '/data/1' },
        },
      ]);
      expect(await licensees(w.license.id)).toEqual([w.licensee.id]);
    });

    it('422 for a user not attached, nothing detached', async () => {
      const res = await t.http
        .delete(url(w, w.license.id))
        .set(w.a.auth)
        .send(linkage(w.licensee.id, 'd22692b1-0b4b-4cb7-9e3e-449e0fdf9cd8'))
        .expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable entity',
          detail:
            "cannot detach user 'd22692b1-0b4b-4cb7-9e3e-449e0fdf9cd8' (user is not attached)",
          source: { pointer: '/data/1' },
        },
      ]);
      expect(await licensees(w.license.id)).toEqual([w.licensee.id]);
    });

    it('role matrix (denied and out-of-scope bearers change nothing)', async () => {
      const call = (auth: Record<string, string>, id: string) =>
        t.http.delete(url(w, id)).set(auth).send(linkage(w.licensee.id));
      expect(
        await statuses(w, call, [
          'read-only',
          'licensee',
          'license',
          'other-product',
          'user',
          'other-license',
        ]),
      ).toEqual({
        'read-only': 403,
        licensee: 403,
        license: 403,
        'other-product': 404,
        user: 404,
        'other-license': 404,
      });
      expect(await licensees(w.license.id)).toEqual([w.licensee.id]);
      for (const actor of ['support-agent', 'product'] as const) {
        const l = await g.license(w.a.account, { policy: w.policy });
        const u = await newUser(w);
        await g.licenseUser(l.license, u);
        await t.http
          .delete(url(w, l.license.id))
          .set(w.auth[actor])
          .send(linkage(u.id))
          .expect(204);
      }
      const envUser = await newUser(w, { environment: w.environment });
      await g.licenseUser(w.envLicense, envUser);
      await t.http
        .delete(url(w, w.envLicense.id))
        .set(w.envAuth)
        .send(linkage(envUser.id))
        .expect(204);
    });

    it('400 for an empty list', async () => {
      const res = await t.http
        .delete(url(w, w.license.id))
        .set(w.a.auth)
        .send({ data: [] })
        .expect(400);
      expect(res.body.errors).toEqual([
        badRequest('length must be between 1 and 100 (inclusive)', '/data'),
      ]);
    });
  });
});

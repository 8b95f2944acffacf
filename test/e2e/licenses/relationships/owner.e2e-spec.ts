import { License } from '@app/modules/licenses/license.entity';
import { bootApp, type TestApp } from '../../../support/app';
import { given } from '../../../support/factories';
import {
  RECORD_NOT_COMPATIBLE,
  TOKEN_LACKS,
  badRequest,
  expectMustExist,
  expectSigned,
  groupLimitExceeded,
  lacks,
  licenseError,
  narrowToken,
  readMatrix,
  statuses,
  toOne,
  userLimitExceeded,
  world,
  writeMatrix,
  type World,
} from './support';

const UNKNOWN_USER = '8784f31d-ab66-4384-9fec-e69f1cdb189b';

describe('/v1/accounts/:account/licenses/:license/owner (and the legacy /user)', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
  });
  afterAll(() => t.close());

  const url = (w: World, license: string, rel = 'owner') =>
    `${w.a.base}/licenses/${license}/${rel}`;
  const body = toOne('users');
  const ownerOf = async (id: string) =>
    (await t.ds.getRepository(License).findOneByOrFail({ id })).ownerId;

  describe('GET /owner', () => {
    let w: World;
    beforeAll(async () => {
      w = await world(t);
    });

    it('answers readers, the own product, owner and licensees; licenses lack user.read by default', async () => {
      expect(await statuses(w, (auth, id) => t.http.get(url(w, id)).set(auth))).toEqual(
        readMatrix('owner', 'licensee'),
      );
      const res = await t.http.get(url(w, w.license.id)).set(w.auth.license).expect(403);
      expect(res.body.errors[0].detail).toBe(lacks('license'));
    });

    it('renders the owner, or data: null without one', async () => {
      const res = await t.http.get(url(w, w.key)).set(w.auth.licensee).expect(200);
      expectSigned(res);
      expect(res.body.data).toMatchObject({
        id: w.owner.id,
        type: 'users',
        attributes: { email: w.owner.email },
      });
      const none = await t.http.get(url(w, w.otherLicense.id)).set(w.a.auth).expect(200);
      expect(none.body).toEqual({ data: null });
    });

    it('lets the license read its owner with user.read', async () => {
      const w2 = await world(t, { licensePermissions: ['user.read'] });
      await t.http.get(url(w2, w2.license.id)).set(w2.auth.license).expect(200);
    });
  });

  describe('GET /user (legacy)', () => {
    it('answers readers, the own product, the owner and the license; licensees are refused', async () => {
      const w = await world(t, { licensePermissions: ['user.read'] });
      expect(await statuses(w, (auth, id) => t.http.get(url(w, id, 'user')).set(auth))).toEqual(
        readMatrix('owner', 'license'),
      );
    });
  });

  describe('PUT /owner', () => {
    let w: World;
    beforeAll(async () => {
      w = await world(t);
    });

    it('lets writers and the own product change it; users and licenses cannot', async () => {
      const envUser = await g.user(w.a.account, { environment: w.environment });
      // The environment's license has no owner yet: an isolated environment may not
      // authorize against a missing record (Keygen's strict verify_environment!).
      await t.ds
        .getRepository(License)
        .update({ id: w.envLicense.id }, { ownerId: envUser.user.id });
      const change = (auth: Record<string, string>, id: string) =>
        t.http
          .put(url(w, id))
          .set(auth)
          .send(body(id === w.envLicense.id ? envUser.user.id : w.owner.id));
      expect(await statuses(w, change)).toEqual(writeMatrix());
    });

    it('changes the owner, answers the license and emits license.owner.updated', async () => {
      const next = await g.user(w.a.account);
      const before = t.events.named('license.owner.updated', w.a.id).length;
      const res = await t.http
        .put(url(w, w.otherLicense.id))
        .set(w.a.auth)
        .send(body(next.user.id))
        .expect(200);
      expectSigned(res);
      expect(res.body.data).toMatchObject({
        id: w.otherLicense.id,
        type: 'licenses',
        relationships: {
          owner: {
            links: { related: `/v1/accounts/${w.a.id}/licenses/${w.otherLicense.id}/owner` },
            data: { type: 'users', id: next.user.id },
          },
          users: { meta: { count: 1 } },
        },
      });
      expect(await ownerOf(w.otherLicense.id)).toBe(next.user.id);
      expect(t.events.named('license.owner.updated', w.a.id)).toHaveLength(before + 1);
    });

    it('removes the owner with data: null (PATCH routes too)', async () => {
      const l = await g.license(w.a.account, { policy: w.policy, owner: w.stranger });
      const res = await t.http
        .patch(url(w, l.license.id))
        .set(w.a.auth)
        .send(body(null))
        .expect(200);
      expect(res.body.data.relationships.owner.data).toBeNull();
      expect(await ownerOf(l.license.id)).toBeNull();
    });

    it('inherits the new owner’s group when the license has none', async () => {
      const group = await g.group(w.a.account);
      const member = await g.user(w.a.account);
      await g.group(w.a.account, { members: [] });
      await t.ds.query('UPDATE users SET group_id = $1 WHERE id = $2', [group.id, member.user.id]);
      const l = await g.license(w.a.account, { policy: w.policy });
      const res = await t.http
        .put(url(w, l.license.id))
        .set(w.a.auth)
        .send(body(member.user.id))
        .expect(200);
      expect(res.body.data.relationships.group.data).toEqual({ type: 'groups', id: group.id });
    });

    it('422 OWNER_NOT_FOUND for an unknown user or another account’s', async () => {
      const foreign = await g.user((await g.account()).account);
      await expectMustExist(
        (id) => t.http.put(url(w, w.license.id)).set(w.a.auth).send(body(id)),
        'owner',
        'OWNER_NOT_FOUND',
        [UNKNOWN_USER, foreign.user.id],
      );
      // compat: the /owner route keeps OWNER_NOT_FOUND even for API 1.5 clients.
      const r3 = await t.http
        .put(url(w, w.license.id))
        .set(w.a.auth)
        .set('Keygen-Version', '1.5')
        .send(body(UNKNOWN_USER))
        .expect(422);
      expect(r3.body.errors[0]).toMatchObject({
        code: 'OWNER_NOT_FOUND',
        source: { pointer: '/data/relationships/owner' },
      });
    });

    it('422 OWNER_INVALID for a licensee', async () => {
      const res = await t.http
        .put(url(w, w.license.id))
        .set(w.a.auth)
        .send(body(w.licensee.id))
        .expect(422);
      expect(res.body.errors).toEqual([
        licenseError(
          'relationships/owner',
          'OWNER_INVALID',
          'already exists (user is attached through users)',
        ),
      ]);
    });

    it('422 GROUP_LICENSE_LIMIT_EXCEEDED when the inherited group is full', async () => {
      const group = await g.group(w.a.account, { maxLicenses: 1 });
      const member = await g.user(w.a.account);
      await t.ds.query('UPDATE users SET group_id = $1 WHERE id = $2', [group.id, member.user.id]);
      const full = await g.license(w.a.account, { policy: w.policy });
      await t.ds.getRepository(License).update({ id: full.license.id }, { groupId: group.id });
      const l = await g.license(w.a.account, { policy: w.policy });
      const res = await t.http
        .put(url(w, l.license.id))
        .set(w.a.auth)
        .send(body(member.user.id))
        .expect(422);
      expect(res.body.errors).toEqual([groupLimitExceeded(1)]);
      expect(await ownerOf(l.license.id)).toBeNull();
    });
  });

  describe('PUT /owner: user limits', () => {
    const attempt = async (overageStrategy: string, maxUsers: number, licensees: number) => {
      const w = await world(t, { policy: { overageStrategy, maxUsers } });
      const l = await g.license(w.a.account, { policy: w.policy });
      for (let i = 0; i < licensees; i++) {
        await g.licenseUser(l.license, (await g.user(w.a.account)).user);
      }
      const next = await g.user(w.a.account);
      return t.http.put(url(w, l.license.id)).set(w.a.auth).send(body(next.user.id));
    };

    it.each([
      ['NO_OVERAGE', 3, 2, 200],
      ['NO_OVERAGE', 3, 3, 422],
      ['ALWAYS_ALLOW_OVERAGE', 3, 3, 200],
      ['ALLOW_1_25X_OVERAGE', 4, 4, 200],
      ['ALLOW_1_25X_OVERAGE', 4, 5, 422],
      ['ALLOW_1_5X_OVERAGE', 2, 2, 200],
      ['ALLOW_1_5X_OVERAGE', 2, 3, 422],
      ['ALLOW_2X_OVERAGE', 2, 3, 200],
      ['ALLOW_2X_OVERAGE', 2, 4, 422],
    ])('%s, maxUsers %i, %i licensees → %i', async (strategy, max, licensees, status) => {
      const res = await attempt(strategy, max, licensees);
      expect(res.status).toBe(status);
      if (status === 422) {
        expect(res.body.errors).toEqual([userLimitExceeded(max)]);
      }
    });

    it('replacing an existing owner at the limit is fine', async () => {
      const w = await world(t, { policy: { overageStrategy: 'NO_OVERAGE', maxUsers: 1 } });
      const l = await g.license(w.a.account, { policy: w.policy, owner: w.stranger });
      const next = await g.user(w.a.account);
      await t.http.put(url(w, l.license.id)).set(w.a.auth).send(body(next.user.id)).expect(200);
    });
  });

  describe('PUT /owner: 400 and order', () => {
    let w: World;
    beforeAll(async () => {
      w = await world(t);
    });

    it.each([
      [{}, 'is missing', '/data'],
      [
        { data: { type: 'groups', id: '00000000-0000-4000-8000-000000000000' } },
        'is invalid',
        '/data/type',
      ],
      [
        { data: { type: 'users', id: 'x' } },
        'type mismatch (received string expected UUID string)',
        '/data/id',
      ],
      [{ data: 'users' }, 'type mismatch (received string expected object)', '/data'],
    ])('%j → 400 %s', async (payload, detail, pointer) => {
      const res = await t.http.put(url(w, w.license.id)).set(w.a.auth).send(payload).expect(400);
      expect(res.body.errors).toEqual([badRequest(detail, pointer)]);
    });

    it('authorizes before reading the body (403 first)', async () => {
      await t.http.put(url(w, w.license.id)).set(w.auth['read-only']).send({}).expect(403);
    });

    it('needs the current owner in the current environment when inside one', async () => {
      const res = await t.http
        .put(url(w, w.envLicense.id))
        .set(w.envAuth)
        .send(body(null))
        .expect(403);
      expect(res.body.errors[0].detail).toBe(RECORD_NOT_COMPATIBLE);
    });
  });

  describe('PUT /user (legacy)', () => {
    let w: World;
    beforeAll(async () => {
      w = await world(t);
    });

    it('changes the owner under license.user.update and emits license.user.updated', async () => {
      const next = await g.user(w.a.account);
      const before = t.events.named('license.user.updated', w.a.id).length;
      const res = await t.http
        .put(url(w, w.otherLicense.id, 'user'))
        .set(w.a.auth)
        .send(body(next.user.id))
        .expect(200);
      expect(res.body.data.relationships.owner.data.id).toBe(next.user.id);
      expect(t.events.named('license.user.updated', w.a.id)).toHaveLength(before + 1);
      await t.http
        .patch(url(w, w.otherLicense.id, 'user'))
        .set(w.auth.product)
        .send(body(null))
        .expect(200);
      await t.http
        .put(url(w, w.otherLicense.id, 'user'))
        .set(w.auth['support-agent'])
        .send(body(null))
        .expect(403);
    });

    it('needs license.user.update on the token', async () => {
      const res = await t.http
        .put(url(w, w.otherLicense.id, 'user'))
        .set(await narrowToken(t, w, 'admin', ['license.owner.update']))
        .send(body(null))
        .expect(403);
      expect(res.body.errors[0].detail).toBe(TOKEN_LACKS);
    });

    it('renders USER_NOT_FOUND on /data/relationships/user and the `user` relationship for API 1.5', async () => {
      const res = await t.http
        .put(url(w, w.license.id, 'user'))
        .set(w.a.auth)
        .set('Keygen-Version', '1.5')
        .send(body(UNKNOWN_USER))
        .expect(422);
      expect(res.body.errors[0]).toMatchObject({
        title: 'Unprocessable resource',
        detail: 'must exist',
        code: 'USER_NOT_FOUND',
        source: { pointer: '/data/relationships/user' },
      });
      const ok = await t.http
        .put(url(w, w.license.id, 'user'))
        .set(w.a.auth)
        .set('Keygen-Version', '1.5')
        .send(body(w.stranger.id))
        .expect(200);
      expect(ok.body.data.relationships.owner).toBeUndefined();
      expect(ok.body.data.relationships.user).toEqual({
        links: { related: `/v1/accounts/${w.a.id}/licenses/${w.license.id}/user` },
        data: { type: 'users', id: w.stranger.id },
      });
      const current = await t.http
        .put(url(w, w.license.id, 'user'))
        .set(w.a.auth)
        .send(body(UNKNOWN_USER))
        .expect(422);
      expect(current.body.errors[0]).toMatchObject({ code: 'OWNER_NOT_FOUND' });
    });
  });
});

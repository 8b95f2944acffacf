import { License } from '@app/modules/licenses/license.entity';
import { bootApp, type TestApp } from '../../../support/app';
import { given } from '../../../support/factories';
import {
  RECORD_ENV,
  RECORD_NOT_COMPATIBLE,
  badRequest,
  expectMustExist,
  expectSigned,
  groupLimitExceeded,
  narrowToken,
  readMatrix,
  relationshipUrl,
  statuses,
  toOne,
  world,
  writeMatrix,
  type World,
} from './support';

const UNKNOWN_GROUP = '00000000-0000-4000-8000-000000000000';

describe('/v1/accounts/:account/licenses/:license/group', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
  });
  afterAll(() => t.close());

  const url = relationshipUrl('group');
  const body = toOne('groups');
  const groupOf = async (id: string) =>
    (await t.ds.getRepository(License).findOneByOrFail({ id })).groupId;
  const join = (licenseId: string, groupId: string) =>
    t.ds.getRepository(License).update({ id: licenseId }, { groupId });

  describe('GET', () => {
    let w: World;
    beforeAll(async () => {
      w = await world(t);
      const group = await g.group(w.a.account);
      const envGroup = await g.group(w.a.account, { environment: w.environment });
      await join(w.license.id, group.id);
      await join(w.envLicense.id, envGroup.id);
    });

    it('answers readers, the own product, its users and the license itself', async () => {
      expect(await statuses(w, (auth, id) => t.http.get(url(w, id)).set(auth))).toEqual(
        readMatrix('owner', 'licensee', 'license'),
      );
    });

    it('renders the group', async () => {
      const res = await t.http.get(url(w, w.key)).set(w.auth.license).expect(200);
      expectSigned(res);
      expect(res.body.data).toMatchObject({ type: 'groups', id: await groupOf(w.license.id) });
    });

    it('404s a license without a group, before any permission check', async () => {
      const res = await t.http.get(url(w, w.otherLicense.id)).set(w.a.auth).expect(404);
      expect(res.body.errors).toEqual([
        { title: 'Not found', detail: 'The requested group was not found', code: 'NOT_FOUND' },
      ]);
      const narrow = await narrowToken(t, w, 'admin', ['license.read']);
      await t.http.get(url(w, w.otherLicense.id)).set(narrow).expect(404);
      await t.http.get(url(w, w.license.id)).set(narrow).expect(403);
    });
  });

  describe('PUT', () => {
    let w: World;
    beforeAll(async () => {
      w = await world(t);
    });

    it('lets writers and the own product change it', async () => {
      const group = await g.group(w.a.account);
      const envGroup = await g.group(w.a.account, { environment: w.environment });
      const change = (auth: Record<string, string>, id: string) =>
        t.http
          .put(url(w, id))
          .set(auth)
          .send(body(id === w.envLicense.id ? envGroup.id : group.id));
      expect(await statuses(w, change)).toEqual(writeMatrix());
    });

    it('answers the license with the group and emits license.group.updated', async () => {
      const group = await g.group(w.a.account);
      const before = t.events.named('license.group.updated', w.a.id).length;
      const res = await t.http
        .put(url(w, w.otherLicense.id))
        .set(w.a.auth)
        .send(body(group.id))
        .expect(200);
      expectSigned(res);
      expect(res.body.data).toMatchObject({
        type: 'licenses',
        id: w.otherLicense.id,
        relationships: {
          group: {
            links: { related: `/v1/accounts/${w.a.id}/licenses/${w.otherLicense.id}/group` },
            data: { type: 'groups', id: group.id },
          },
        },
      });
      expect(await groupOf(w.otherLicense.id)).toBe(group.id);
      expect(t.events.named('license.group.updated', w.a.id)).toHaveLength(before + 1);
    });

    it('removes the group with data: null (PATCH routes too)', async () => {
      const group = await g.group(w.a.account);
      await join(w.otherLicense.id, group.id);
      const res = await t.http
        .patch(url(w, w.otherLicense.id))
        .set(w.a.auth)
        .send(body(null))
        .expect(200);
      expect(res.body.data.relationships.group.data).toBeNull();
      expect(await groupOf(w.otherLicense.id)).toBeNull();
    });

    it('422 GROUP_NOT_FOUND for an unknown group or another account’s', async () => {
      const foreign = await g.group((await g.account()).account);
      await expectMustExist(
        (id) => t.http.put(url(w, w.otherLicense.id)).set(w.a.auth).send(body(id)),
        'group',
        'GROUP_NOT_FOUND',
        [UNKNOWN_GROUP, foreign.id],
      );
    });

    it('422 GROUP_LICENSE_LIMIT_EXCEEDED when the group is full; re-joining the same group is fine', async () => {
      const group = await g.group(w.a.account, { maxLicenses: 1 });
      const first = await g.license(w.a.account, { policy: w.policy });
      await t.http.put(url(w, first.license.id)).set(w.a.auth).send(body(group.id)).expect(200);
      await t.http.put(url(w, first.license.id)).set(w.a.auth).send(body(group.id)).expect(200);
      const second = await g.license(w.a.account, { policy: w.policy });
      const before = t.events.named('license.group.updated', w.a.id).length;
      const res = await t.http
        .put(url(w, second.license.id))
        .set(w.a.auth)
        .send(body(group.id))
        .expect(422);
      expect(res.body.errors).toEqual([groupLimitExceeded(1)]);
      expect(await groupOf(second.license.id)).toBeNull();
      expect(t.events.named('license.group.updated', w.a.id)).toHaveLength(before);
    });

    it('holds the limit under concurrent joins (the group row is locked)', async () => {
      const group = await g.group(w.a.account, { maxLicenses: 2 });
      const ls = await Promise.all(
        [1, 2, 3, 4].map(() => g.license(w.a.account, { policy: w.policy })),
      );
      const results = await Promise.all(
        ls.map((l) => t.http.put(url(w, l.license.id)).set(w.a.auth).send(body(group.id))),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 200, 422, 422]);
      const [{ n }] = (await t.ds.query(
        'SELECT count(*)::int AS n FROM licenses WHERE group_id = $1',
        [group.id],
      )) as Array<{ n: number }>;
      expect(n).toBe(2);
    });

    it('403s a missing group inside an environment (strict record check)', async () => {
      const res = await t.http
        .put(url(w, w.envLicense.id))
        .set(w.envAuth)
        .send(body(UNKNOWN_GROUP))
        .expect(403);
      expect(res.body.errors[0].detail).toBe(RECORD_NOT_COMPATIBLE);
    });

    it('403s a global group from inside an environment', async () => {
      const group = await g.group(w.a.account);
      const res = await t.http
        .put(url(w, w.envLicense.id))
        .set(w.envAuth)
        .send(body(group.id))
        .expect(403);
      expect(res.body.errors[0].detail).toBe(RECORD_ENV);
    });

    it.each([
      [{}, 'is missing', '/data'],
      [
        { data: { type: 'group', id: 'g' } },
        'type mismatch (received string expected UUID string)',
        '/data/id',
      ],
      [
        { data: { type: 'users', id: '00000000-0000-4000-8000-000000000000' } },
        'is invalid',
        '/data/type',
      ],
    ])('%j → 400 %s', async (payload, detail, pointer) => {
      const res = await t.http.put(url(w, w.license.id)).set(w.a.auth).send(payload).expect(400);
      expect(res.body.errors).toEqual([badRequest(detail, pointer)]);
    });
  });
});

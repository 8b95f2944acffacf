import { LicenseEntitlement } from '@app/modules/licenses/license.entity';
import { bootApp, type TestApp } from '../../../support/app';
import { given } from '../../../support/factories';
import { entitlementResource } from '../../entitlements/support';
import {
  RECORDS_ENV,
  TOKEN_LACKS,
  badRequest,
  expectSigned,
  lacks,
  narrowToken,
  notFound,
  readMatrix,
  relationshipUrl,
  statuses,
  toMany,
  world,
  writeMatrix,
  type World,
} from './support';

const entitlementError = (code: string, detail: string) => ({
  title: 'Unprocessable resource',
  detail,
  code,
  source: { pointer: '/data/relationships/entitlement' },
  links: {
    about: 'https://keygen.sh/docs/api/entitlements/#entitlements-object-relationships-entitlement',
  },
});

describe('/v1/accounts/:account/licenses/:license/entitlements', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
  });
  afterAll(() => t.close());

  const url = relationshipUrl('entitlements');
  const linkage = toMany('entitlement');
  const own = async (licenseId: string) =>
    (await t.ds.getRepository(LicenseEntitlement).findBy({ licenseId }))
      .map((le) => le.entitlementId)
      .sort();

  describe('GET (index, show)', () => {
    let w: World;
    beforeAll(async () => {
      w = await world(t);
    });

    it('lists the policy’s and the license’s entitlements (distinct, newest first) to every reader', async () => {
      const fromPolicy = await g.entitlement(w.a.account);
      t.clock.advance(1000);
      const fromLicense = await g.entitlement(w.a.account);
      t.clock.advance(1000);
      const both = await g.entitlement(w.a.account);
      await g.entitlement(w.a.account);
      await g.policyEntitlement(w.policy, fromPolicy);
      await g.policyEntitlement(w.policy, both);
      await g.licenseEntitlement(w.license, fromLicense);
      await g.licenseEntitlement(w.license, both);
      t.clock.reset();
      expect(await statuses(w, (auth, id) => t.http.get(url(w, id)).set(auth))).toEqual(
        readMatrix('owner', 'licensee', 'license'),
      );
      const res = await t.http.get(url(w, w.key)).set(w.auth.license).expect(200);
      expectSigned(res);
      expect(res.body.data).toEqual([
        entitlementResource(both),
        entitlementResource(fromLicense),
        entitlementResource(fromPolicy),
      ]);
      // the other license of the same policy inherits only the policy's
      const other = await t.http.get(url(w, w.otherLicense.id)).set(w.a.auth).expect(200);
      expect(other.body.data.map((e: { id: string }) => e.id)).toEqual([both.id, fromPolicy.id]);
    });

    it('shows one effective entitlement by id; 404 otherwise (codes are not aliases)', async () => {
      const e = await g.entitlement(w.a.account);
      await g.policyEntitlement(w.policy, e);
      const res = await t.http
        .get(url(w, w.license.id, e.id))
        .set(w.auth.owner)
        .expect(200);
      expect(res.body).toEqual({ data: entitlementResource(e) });
      await t.http
        .get(url(w, w.license.id, e.code))
        .set(w.a.auth)
        .expect(404);
      const loose = await g.entitlement(w.a.account);
      const missing = await t.http
        .get(url(w, w.license.id, loose.id))
        .set(w.a.auth)
        .expect(404);
      expect(missing.body.errors).toEqual([notFound('entitlement', loose.id)]);
    });

    it('needs entitlement.read', async () => {
      const res = await t.http
        .get(url(w, w.license.id))
        .set(await narrowToken(t, w, 'license', ['license.read']))
        .expect(403);
      expect(res.body.errors[0].detail).toBe(TOKEN_LACKS);
    });
  });

  describe('POST (attach)', () => {
    let w: World;
    beforeAll(async () => {
      w = await world(t);
    });

    it('role matrix: writers and the own product', async () => {
      const call = async (auth: Record<string, string>, id: string) => {
        const e = await g.entitlement(
          w.a.account,
          id === w.envLicense.id ? { environment: w.environment } : {},
        );
        return t.http.post(url(w, id)).set(auth).send(linkage(e.id));
      };
      expect(await statuses(w, call)).toEqual(writeMatrix());
      const e = await g.entitlement(w.a.account);
      const res = await t.http
        .post(url(w, w.license.id))
        .set(w.auth.owner)
        .send(linkage(e.id))
        .expect(403);
      expect(res.body.errors[0].detail).toBe(lacks('user'));
    });

    it('attaches (200, license-entitlements) and emits license.entitlements.attached', async () => {
      const l = await g.license(w.a.account, { policy: w.policy });
      const [e1, e2] = [await g.entitlement(w.a.account), await g.entitlement(w.a.account)];
      const before = t.events.named('license.entitlements.attached', w.a.id).length;
      const res = await t.http
        .post(url(w, l.license.id))
        .set(w.a.auth)
        .send(linkage(e1.id, e2.id))
        .expect(200);
      expectSigned(res);
      const base = `/v1/accounts/${w.a.id}`;
      expect(res.body.data[0]).toEqual({
        id: expect.any(String),
        type: 'license-entitlements',
        attributes: { created: expect.any(String), updated: expect.any(String) },
        relationships: {
          account: { links: { related: base }, data: { type: 'accounts', id: w.a.id } },
          environment: { links: { related: null }, data: null },
          entitlement: {
            links: { related: `${base}/entitlements/${e1.id}` },
            data: { type: 'entitlements', id: e1.id },
          },
          license: {
            links: { related: `${base}/licenses/${l.license.id}` },
            data: { type: 'licenses', id: l.license.id },
          },
        },
        links: { related: `${base}/licenses/${l.license.id}/entitlements/${e1.id}` },
      });
      expect(await own(l.license.id)).toEqual([e1.id, e2.id].sort());
      expect(t.events.named('license.entitlements.attached', w.a.id)).toHaveLength(before + 1);
    });

    it('422 ENTITLEMENT_CONFLICT through the policy, ENTITLEMENT_TAKEN, ENTITLEMENT_NOT_FOUND; nothing attached', async () => {
      const policy = await g.policy(w.a.account, { product: w.product });
      const l = await g.license(w.a.account, { policy });
      const viaPolicy = await g.entitlement(w.a.account);
      await g.policyEntitlement(policy, viaPolicy);
      const mine = await g.entitlement(w.a.account);
      await g.licenseEntitlement(l.license, mine);
      const fresh = await g.entitlement(w.a.account);
      const conflict = await t.http
        .post(url(w, l.license.id))
        .set(w.a.auth)
        .send(linkage(fresh.id, viaPolicy.id))
        .expect(422);
      expect(conflict.body.errors).toEqual([
        entitlementError(
          'ENTITLEMENT_CONFLICT',
          'already exists (entitlement is attached through policy)',
        ),
      ]);
      const taken = await t.http
        .post(url(w, l.license.id))
        .set(w.a.auth)
        .send(linkage(mine.id))
        .expect(422);
      expect(taken.body.errors).toEqual([entitlementError('ENTITLEMENT_TAKEN', 'already exists')]);
      const other = await g.account();
      const foreign = await g.entitlement(other.account);
      for (const id of ['d22692b1-0b4b-4cb7-9e3e-449e0fdf9cd8', foreign.id]) {
        const res = await t.http
          .post(url(w, l.license.id))
          .set(w.a.auth)
          .send(linkage(fresh.id, id))
          .expect(422);
        expect(res.body.errors).toEqual([entitlementError('ENTITLEMENT_NOT_FOUND', 'must exist')]);
      }
      expect(await own(l.license.id)).toEqual([mine.id]);
    });

    it('400 for 0 or 101 items and bad linkages', async () => {
      const e = await g.entitlement(w.a.account);
      const cases: Array<[unknown, string, string]> = [
        [{ data: [] }, 'length must be between 1 and 100 (inclusive)', '/data'],
        [
          { data: Array.from({ length: 101 }, () => ({ type: 'entitlements', id: e.id })) },
          'length must be between 1 and 100 (inclusive)',
          '/data',
        ],
        [{ data: [{ type: 'users', id: e.id }] }, 'is invalid', '/data/0/type'],
        [
          { data: [{ type: 'entitlement', id: e.code }] },
          'type mismatch (received string expected UUID string)',
          '/data/0/id',
        ],
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

    it('forbids attaching environment entitlements to a global license', async () => {
      const e = await g.entitlement(w.a.account, { environment: w.environment });
      const res = await t.http
        .post(url(w, w.license.id))
        .set(w.a.auth)
        .send(linkage(e.id))
        .expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: RECORDS_ENV }]);
    });
  });

  describe('DELETE (detach)', () => {
    let w: World;
    beforeAll(async () => {
      w = await world(t);
    });

    it('detaches (204) and emits license.entitlements.detached', async () => {
      const [e1, e2] = [await g.entitlement(w.a.account), await g.entitlement(w.a.account)];
      await g.licenseEntitlement(w.license, e1);
      await g.licenseEntitlement(w.license, e2);
      const before = t.events.named('license.entitlements.detached', w.a.id).length;
      await t.http
        .delete(url(w, w.license.id))
        .set(w.auth.product)
        .send(linkage(e1.id))
        .expect(204);
      expect(await own(w.license.id)).toEqual([e2.id]);
      expect(t.events.named('license.entitlements.detached', w.a.id)).toHaveLength(before + 1);
    });

    it('403 for an entitlement inherited from the policy, with its index', async () => {
      const mine = await g.entitlement(w.a.account);
      const inherited = await g.entitlement(w.a.account);
      await g.licenseEntitlement(w.license, mine);
      await g.policyEntitlement(w.policy, inherited);
      const res = await t.http
        .delete(url(w, w.license.id))
        .set(w.a.auth)
        .send(linkage(mine.id, inherited.id))
        .expect(403);
      expect(res.body.errors).toEqual([
        {
          title: 'Access denied',
          detail: `cannot detach entitlement '${inherited.id}' (entitlement is attached through policy)`,
          source: { pointer: '/data/1' },
        },
      ]);
      expect(await own(w.license.id)).toContain(mine.id);
    });

    it('422 for an entitlement not attached, nothing detached', async () => {
      const mine = await g.entitlement(w.a.account);
      await g.licenseEntitlement(w.license, mine);
      const res = await t.http
        .delete(url(w, w.license.id))
        .set(w.a.auth)
        .send(linkage('d22692b1-0b4b-4cb7-9e3e-449e0fdf9cd8', mine.id))
        .expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable entity',
          detail:
            "cannot detach entitlement 'd22692b1-0b4b-4cb7-9e3e-449e0fdf9cd8' (entitlement is not attached)",
          source: { pointer: '/data/0' },
        },
      ]);
      expect(await own(w.license.id)).toContain(mine.id);
    });

    it('role matrix for refused bearers', async () => {
      const e = await g.entitlement(w.a.account);
      await g.licenseEntitlement(w.license, e);
      const call = (auth: Record<string, string>, id: string) =>
        t.http.delete(url(w, id)).set(auth).send(linkage(e.id));
      expect(
        await statuses(w, call, [
          'support-agent',
          'read-only',
          'owner',
          'licensee',
          'license',
          'other-product',
          'user',
          'other-license',
        ]),
      ).toEqual({
        'support-agent': 403,
        'read-only': 403,
        owner: 403,
        licensee: 403,
        license: 403,
        'other-product': 404,
        user: 404,
        'other-license': 404,
      });
      expect(await own(w.license.id)).toContain(e.id);
    });
  });
});

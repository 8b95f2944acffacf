import { Token } from '@app/modules/tokens/token.entity';
import { bootApp, type TestApp } from '../../../support/app';
import {
  RECORD_ENV,
  badRequest,
  expectSigned,
  notFound,
  readMatrix,
  relationshipUrl,
  statuses,
  world,
  writeMatrix,
  type World,
} from './support';

const tokenError = (attr: string, code: string, detail: string) => ({
  title: 'Unprocessable resource',
  detail,
  code,
  source: { pointer: `/data/attributes/${attr}` },
  links: { about: `https://keygen.sh/docs/api/tokens/#tokens-object-attrs-${attr}` },
});

describe('/v1/accounts/:account/licenses/:license/tokens', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(() => t.close());

  const url = relationshipUrl('tokens');
  const tokenDoc = (attributes: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    data: { type: 'tokens', attributes, ...extra },
  });

  describe('GET (index, show)', () => {
    let w: World;
    beforeAll(async () => {
      w = await world(t);
    });

    it('lists the license’s tokens to readers and its own product only', async () => {
      expect(await statuses(w, (auth, id) => t.http.get(url(w, id)).set(auth))).toEqual(
        readMatrix(),
      );
      const res = await t.http.get(url(w, w.key)).set(w.auth.product).expect(200);
      expectSigned(res);
      expect(res.body.data).toHaveLength(1);
      expect(res.body.data[0]).toMatchObject({
        type: 'tokens',
        attributes: {
          kind: 'activation-token',
          maxActivations: null,
          activations: 0,
          maxDeactivations: null,
          deactivations: 0,
        },
        relationships: { bearer: { data: { type: 'licenses', id: w.license.id } } },
      });
      expect(res.body.data[0].attributes.token).toBeUndefined();
    });

    it('shows one of them; another license’s token or a non-UUID is a 404', async () => {
      const [mine] = await t.ds.getRepository(Token).findBy({ bearerId: w.license.id });
      const res = await t.http
        .get(url(w, w.license.id, mine.id))
        .set(w.a.auth)
        .expect(200);
      expect(res.body.data.id).toBe(mine.id);
      const [theirs] = await t.ds.getRepository(Token).findBy({ bearerId: w.otherLicense.id });
      const other = await t.http
        .get(url(w, w.license.id, theirs.id))
        .set(w.a.auth)
        .expect(404);
      expect(other.body.errors).toEqual([notFound('token', theirs.id)]);
      await t.http
        .get(url(w, w.license.id, 'x'))
        .set(w.a.auth)
        .expect(404);
      await t.http
        .get(url(w, w.license.id, mine.id))
        .set(w.auth.license)
        .expect(403);
    });

    it('lets the product see its licenses’ tokens under /tokens too', async () => {
      const res = await t.http
        .get(`${w.a.base}/tokens?bearer[type]=licenses`)
        .set(w.auth.product)
        .expect(200);
      const bearers = res.body.data.map(
        (tk: { relationships: { bearer: { data: { id: string } } } }) =>
          tk.relationships.bearer.data.id,
      );
      expect(bearers.sort()).toEqual([w.license.id, w.otherLicense.id].sort());
      const other = await t.http
        .get(`${w.a.base}/tokens?bearer[type]=licenses`)
        .set(w.auth['other-product'])
        .expect(200);
      expect(other.body.data).toEqual([]);
    });
  });

  describe('/tokens/{id} for the product’s license tokens', () => {
    it('lets the own product show, regenerate and revoke them; another product gets 404', async () => {
      const w = await world(t);
      const [tok] = await t.ds.getRepository(Token).findBy({ bearerId: w.license.id });
      const at = `${w.a.base}/tokens/${tok.id}`;
      await t.http.get(at).set(w.auth['other-product']).expect(404);
      await t.http.get(at).set(w.auth.product).expect(200);
      const regen = await t.http.put(at).set(w.auth.product).expect(200);
      expect(regen.body.data.attributes.token).toMatch(/^activ-[0-9a-f]{32}v3$/);
      await t.http.delete(at).set(w.auth['other-product']).expect(404);
      await t.http.delete(at).set(w.auth.product).expect(204);
    });
  });

  describe('POST (generate)', () => {
    let w: World;
    beforeAll(async () => {
      w = await world(t);
    });

    it('role matrix: writers and the own product (200)', async () => {
      expect(await statuses(w, (auth, id) => t.http.post(url(w, id)).set(auth))).toEqual(
        writeMatrix(),
      );
    });

    it('generates an activation token that authenticates as the license, and emits token.generated', async () => {
      const before = t.events.named('token.generated', w.a.id).length;
      const res = await t.http
        .post(url(w, w.license.id))
        .set(w.a.auth)
        .send(tokenDoc({ name: 'Activation', maxActivations: 1, maxDeactivations: 2 }))
        .expect(200);
      expectSigned(res);
      expect(res.headers.location).toBeUndefined();
      const attrs = res.body.data.attributes;
      expect(attrs).toMatchObject({
        kind: 'activation-token',
        name: 'Activation',
        expiry: null,
        maxActivations: 1,
        activations: 0,
        maxDeactivations: 2,
        deactivations: 0,
      });
      expect(attrs.token).toMatch(/^activ-[0-9a-f]{32}v3$/);
      expect(t.events.named('token.generated', w.a.id)).toHaveLength(before + 1);
      const me = await t.http
        .get(`${w.a.base}/me`)
        .set({ Authorization: `Bearer ${attrs.token}` })
        .expect(200);
      expect(me.body.data).toMatchObject({ type: 'licenses', id: w.license.id });
      expect(me.body.included[0]).toMatchObject({ type: 'tokens', id: res.body.data.id });
    });

    it('takes permissions from admins and products, within the license’s', async () => {
      const ok = await t.http
        .post(url(w, w.license.id))
        .set(w.auth.product)
        .send(tokenDoc({ permissions: ['license.read', 'license.validate'] }))
        .expect(200);
      expect(ok.body.data.attributes.permissions).toEqual(['license.read', 'license.validate']);
      const beyond = await t.http
        .post(url(w, w.license.id))
        .set(w.a.auth)
        .send(tokenDoc({ permissions: ['license.read', 'user.delete'] }))
        .expect(422);
      expect(beyond.body.errors).toEqual([
        tokenError('permissions', 'PERMISSIONS_NOT_ALLOWED', 'unsupported permissions'),
      ]);
      const unknown = await t.http
        .post(url(w, w.license.id))
        .set(w.a.auth)
        .send(tokenDoc({ permissions: ['nope'] }))
        .expect(422);
      expect(unknown.body.errors[0].code).toBe('PERMISSIONS_NOT_ALLOWED');
      const sales = await t.http
        .post(url(w, w.license.id))
        .set(w.auth['sales-agent'])
        .send(tokenDoc({ permissions: ['license.read'] }))
        .expect(400);
      expect(sales.body.errors).toEqual([
        badRequest('unpermitted parameter', '/data/attributes/permissions'),
      ]);
    });

    it('422 for negative activation limits; 400 past the integer range', async () => {
      const neg = await t.http
        .post(url(w, w.license.id))
        .set(w.a.auth)
        .send(tokenDoc({ maxActivations: -1, maxDeactivations: -1 }))
        .expect(422);
      expect(neg.body.errors).toEqual([
        tokenError(
          'maxActivations',
          'MAX_ACTIVATIONS_INVALID',
          'must be greater than or equal to 0',
        ),
        tokenError(
          'maxDeactivations',
          'MAX_DEACTIVATIONS_INVALID',
          'must be greater than or equal to 0',
        ),
      ]);
      const big = await t.http
        .post(url(w, w.license.id))
        .set(w.a.auth)
        .send(tokenDoc({ maxActivations: 2 ** 31 }))
        .expect(400);
      expect(big.body.errors[0].detail).toBe('integer is too large');
    });

    it('400 for unknown attributes and wrong types', async () => {
      const cases: Array<[unknown, string, string]> = [
        [tokenDoc({ bearerId: w.owner.id }), 'unpermitted parameter', '/data/attributes/bearerId'],
        [
          tokenDoc({ maxActivations: '1' }),
          'type mismatch (received string expected integer)',
          '/data/attributes/maxActivations',
        ],
        [{ data: { type: 'users' } }, 'is invalid', '/data/type'],
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

    it('403 for a token in another environment than the current one', async () => {
      const res = await t.http
        .post(url(w, w.license.id))
        .set(w.a.auth)
        .send(
          tokenDoc(
            { name: 'Elsewhere' },
            {
              relationships: {
                environment: { data: { type: 'environments', id: w.environment.id } },
              },
            },
          ),
        )
        .expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail: RECORD_ENV }]);
    });
  });
});

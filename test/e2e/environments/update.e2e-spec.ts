import { Environment } from '@app/modules/environments/environment.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

const GENERIC_403 =
  'You do not have permission to complete the request (ensure the token or license is allowed to access all resources)';
const forbidden = (reason: string) =>
  `You do not have permission to complete the request (${reason})`;

let seq = 0;
const fresh = (): string => `code-${Date.now().toString(36)}-${seq++}`;

const body = (attributes: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  data: { type: 'environments', attributes, ...extra },
});

describe('PATCH /v1/accounts/:account/environments/:id', () => {
  let t: TestApp;
  let a: GivenAccount;
  const path = (id: string) => `${a.base}/environments/${id}`;
  const load = (id: string) => t.ds.getRepository(Environment).findOneByOrFail({ id });

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  describe('200', () => {
    it('changes the code, bumps updated and emits environment.updated', async () => {
      const env = await given(t).environment(a.account);
      t.clock.advance(5_000);
      const next = fresh();
      const res = await t.http
        .patch(path(env.environment.id))
        .set(a.auth)
        .send(body({ code: next }, { id: env.environment.id }))
        .expect(200);
      expect(res.body.data).toMatchObject({
        id: env.environment.id,
        type: 'environments',
        attributes: { code: next, name: env.environment.name, isolationStrategy: 'ISOLATED' },
      });
      expect(new Date(res.body.data.attributes.updated).getTime()).toBeGreaterThan(
        new Date(res.body.data.attributes.created).getTime(),
      );
      expect((await load(env.environment.id)).code).toBe(next);
      const events = t.events
        .named('environment.updated', a.id)
        .filter((e) => e.resource.id === env.environment.id);
      expect(events).toHaveLength(1);
    });

    it('lets a developer rename one, addressed by code', async () => {
      const env = await given(t).environment(a.account);
      const dev = await given(t).user(a.account, { role: 'developer' });
      const res = await t.http
        .patch(path(env.environment.code))
        .set(dev.auth)
        .send(body({ name: 'Local' }))
        .expect(200);
      expect(res.body.data.attributes.name).toBe('Local');
    });

    it('keeps its own code when only the case changes', async () => {
      const env = await given(t).environment(a.account, { code: `Prod-${seq++}` });
      const res = await t.http
        .patch(path(env.environment.id))
        .set(a.auth)
        .send(body({ code: env.environment.code.toLowerCase() }))
        .expect(200);
      expect(res.body.data.attributes.code).toBe(env.environment.code.toLowerCase());
    });

    it('leaves updated alone when nothing changes', async () => {
      const env = await given(t).environment(a.account);
      t.clock.advance(5_000);
      const res = await t.http
        .patch(path(env.environment.id))
        .set(a.auth)
        .send(body({}))
        .expect(200);
      expect(res.body.data.attributes.updated).toBe(env.environment.updatedAt.toISOString());
    });

    it('ignores a null name (optional params drop nulls)', async () => {
      const env = await given(t).environment(a.account);
      const res = await t.http
        .patch(path(env.environment.id))
        .set(a.auth)
        .send(body({ name: null }))
        .expect(200);
      expect(res.body.data.attributes.name).toBe(env.environment.name);
    });

    it('selects the environment by its new code right away (and not by the old one)', async () => {
      const env = await given(t).environment(a.account);
      const old = env.environment.code;
      // Warm the resolver cache with the old code.
      await t.http.get(`${a.base}/environments/${env.environment.id}`).set(env.auth).expect(200);
      const next = fresh();
      await t.http
        .patch(path(env.environment.id))
        .set(a.auth)
        .send(body({ code: next }))
        .expect(200);
      const stale = await t.http
        .get(path(env.environment.id))
        .set({ Authorization: `Bearer ${env.token}`, 'Keygen-Environment': old })
        .expect(400);
      expect(stale.body.errors[0].code).toBe('ENVIRONMENT_INVALID');
      const res = await t.http
        .get(path(env.environment.id))
        .set({ Authorization: `Bearer ${env.token}`, 'Keygen-Environment': next })
        .expect(200);
      expect(res.headers['keygen-environment']).toBe(next);
    });
  });

  describe('400', () => {
    it.each([
      ['an empty code', body({ code: '' }), 'cannot be blank', '/data/attributes/code'],
      [
        'isolationStrategy',
        body({ isolationStrategy: 'SHARED' }),
        'unpermitted parameter',
        '/data/attributes/isolationStrategy',
      ],
      [
        'relationships',
        body(
          {},
          {
            relationships: {
              admins: { data: [{ type: 'user', attributes: { email: 'a@b.example' } }] },
            },
          },
        ),
        'unpermitted parameter',
        '/data/relationships',
      ],
      ['missing attributes', { data: { type: 'environments' } }, 'is missing', '/data/attributes'],
    ])('rejects %s', async (_label, payload, detail, pointer) => {
      const env = await given(t).environment(a.account);
      const res = await t.http
        .patch(path(env.environment.id))
        .set(a.auth)
        .send(payload)
        .expect(400);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [{ title: 'Bad request', detail, source: { pointer } }],
      });
    });
  });

  describe('401', () => {
    it('requires a token', async () => {
      const env = await given(t).environment(a.account);
      await t.http
        .patch(path(env.environment.id))
        .send(body({ name: 'Oof' }))
        .expect(401);
    });
  });

  describe('403', () => {
    it.each([
      ['sales-agent', GENERIC_403],
      ['support-agent', GENERIC_403],
      ['read-only', forbidden('read only lacks permission to perform action')],
    ] as const)('denies a %s', async (role, detail) => {
      const env = await given(t).environment(a.account);
      const u = await given(t).user(a.account, { role });
      const res = await t.http
        .patch(path(env.environment.id))
        .set(u.auth)
        .send(body({ name: 'Nope' }))
        .expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail }]);
      expect((await load(env.environment.id)).name).toBe(env.environment.name);
    });

    it('denies an environment updating itself', async () => {
      const env = await given(t).environment(a.account);
      const res = await t.http
        .patch(path(env.environment.id))
        .set(env.auth)
        .send(body({ name: 'Staging' }))
        .expect(403);
      expect(res.body.errors[0].detail).toBe(
        forbidden('environment lacks permission to perform action'),
      );
    });

    it('denies updates made from inside an environment', async () => {
      const env = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const res = await t.http
        .patch(path(env.environment.id))
        .set({ ...a.auth, 'Keygen-Environment': env.environment.code })
        .send(body({ name: 'Inside' }))
        .expect(403);
      expect(res.body.errors[0].detail).toBe(
        forbidden('record is not compatible with the current environment'),
      );
    });
  });

  describe('404', () => {
    it('hides other environments from an environment bearer', async () => {
      const mine = await given(t).environment(a.account);
      const other = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const res = await t.http
        .patch(path(other.environment.id))
        .set(mine.auth)
        .send(body({ name: 'Staging' }))
        .expect(404);
      expect(res.body.errors).toEqual([
        {
          title: 'Not found',
          detail: `The requested environment '${other.environment.id}' was not found`,
          code: 'NOT_FOUND',
        },
      ]);
    });

    it('hides environments from a user', async () => {
      const env = await given(t).environment(a.account);
      const u = await given(t).user(a.account);
      await t.http
        .patch(path(env.environment.id))
        .set(u.auth)
        .send(body({ name: 'App' }))
        .expect(404);
    });

    it('reports an unknown environment', async () => {
      await t.http
        .patch(path('nope'))
        .set(a.auth)
        .send(body({ name: 'App' }))
        .expect(404);
    });
  });

  describe('422', () => {
    const attrError = (attr: string, code: string, detail: string) => ({
      title: 'Unprocessable resource',
      detail,
      code,
      source: { pointer: `/data/attributes/${attr}` },
      links: {
        about: `https://keygen.sh/docs/api/environments/#environments-object-attrs-${attr}`,
      },
    });

    it("rejects another environment's code, case-insensitively", async () => {
      const env = await given(t).environment(a.account);
      const taken = await given(t).environment(a.account, { code: `Other-${seq++}` });
      const res = await t.http
        .patch(path(env.environment.id))
        .set(a.auth)
        .send(body({ code: taken.environment.code.toUpperCase() }))
        .expect(422);
      expect(res.body.errors).toEqual([attrError('code', 'CODE_TAKEN', 'has already been taken')]);
      expect(
        t.events
          .named('environment.updated', a.id)
          .filter((e) => e.resource.id === env.environment.id),
      ).toHaveLength(0);
    });

    it('rejects a reserved or UUID-looking code and a long name', async () => {
      const env = await given(t).environment(a.account);
      const reserved = await t.http
        .patch(path(env.environment.id))
        .set(a.auth)
        .send(body({ code: 'actions' }))
        .expect(422);
      expect(reserved.body.errors).toEqual([attrError('code', 'CODE_NOT_ALLOWED', 'is reserved')]);
      const uuid = await t.http
        .patch(path(env.environment.id))
        .set(a.auth)
        .send(body({ code: 'a0a0a0a0-b1b1-c2c2-d3d3-e4e4e4e4e4e4', name: 'x'.repeat(256) }))
        .expect(422);
      expect(uuid.body.errors).toEqual([
        attrError('code', 'CODE_INVALID', 'is invalid'),
        attrError('name', 'NAME_TOO_LONG', 'is too long (maximum is 255 characters)'),
      ]);
    });
  });
});

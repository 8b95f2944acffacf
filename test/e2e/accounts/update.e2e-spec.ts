import { randomUUID } from 'node:crypto';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

const SLUG_ABOUT = { about: 'https://keygen.sh/docs/api/accounts/#accounts-object-attrs-slug' };
const NO_REASON =
  'You do not have permission to complete the request (ensure the token or license is allowed to access all resources)';
const rand = (): string => randomUUID().slice(0, 8);

describe('PATCH /v1/accounts/:account', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(() => t.close());

  const patch = (a: GivenAccount, attributes: Record<string, unknown>, auth = a.auth) =>
    t.http
      .patch(a.base)
      .set(auth)
      .send({ data: { type: 'accounts', attributes } });

  describe('200', () => {
    it('updates the name, bumps updated and emits account.updated', async () => {
      const a = await given(t).account();
      t.clock.advance(60_000);
      const res = await patch(a, { name: 'Company Name' }).expect(200);
      expect(res.body.data).toMatchObject({
        id: a.id,
        type: 'accounts',
        attributes: {
          name: 'Company Name',
          slug: a.slug,
          apiVersion: '1.8',
          protected: false,
          status: 'SUBSCRIBED',
        },
        links: { self: `/v1/accounts/${a.id}` },
      });
      expect(Date.parse(res.body.data.attributes.updated)).toBeGreaterThan(
        Date.parse(res.body.data.attributes.created),
      );
      const events = t.events.named('account.updated', a.id);
      expect(events).toHaveLength(1);
      expect(events[0].resource).toMatchObject({ type: 'accounts', id: a.id });
      expect(events[0].ctx.requestId).toBe(res.headers['x-request-id']);
    });

    it('lets a developer update the account', async () => {
      const a = await given(t).account();
      const dev = await given(t).user(a.account, { role: 'developer' });
      const res = await patch(a, { name: 'By Developer' }, dev.auth).expect(200);
      expect(res.body.data.attributes.name).toBe('By Developer');
    });

    it('renames the slug; the account then resolves by the new slug and no longer by the old one', async () => {
      const a = await given(t).account();
      const next = `renamed-${rand()}`;
      // Warm both caches: the old slug resolves, the new one is a cached miss.
      await t.http.get(`/v1/accounts/${a.slug}`).set(a.auth).expect(200);
      await t.http.get(`/v1/accounts/${next}`).set(a.auth).expect(404);

      const res = await patch(a, { slug: next }).expect(200);
      expect(res.body.data.attributes.slug).toBe(next);

      const byNew = await t.http.get(`/v1/accounts/${next}`).set(a.auth).expect(200);
      expect(byNew.body.data.id).toBe(a.id);
      const byOld = await t.http.get(`/v1/accounts/${a.slug}`).set(a.auth).expect(404);
      expect(byOld.body.errors[0].detail).toBe(`The requested account '${a.slug}' was not found`);
    });

    it('accepts the current slug again (uniqueness excludes the account itself)', async () => {
      const a = await given(t).account();
      await patch(a, { slug: a.slug }).expect(200);
    });

    it.each(['1.0', '1.5', '1.7'])(
      'pins apiVersion %s, used by later requests without a header',
      async (v) => {
        const a = await given(t).account();
        const res = await patch(a, { apiVersion: v }).expect(200);
        expect(res.body.data.attributes.apiVersion).toBe(v);
        expect(res.headers['keygen-version']).toBe('1.8');
        const later = await t.http.get(a.base).set(a.auth).expect(200);
        expect(later.headers['keygen-version']).toBe(v);
      },
    );

    it('sets protected', async () => {
      const a = await given(t).account();
      const res = await patch(a, { protected: true }).expect(200);
      expect(res.body.data.attributes.protected).toBe(true);
      const again = await patch(a, { protected: false }).expect(200);
      expect(again.body.data.attributes.protected).toBe(false);
    });

    it('ignores data.id and null optionals', async () => {
      const a = await given(t).account();
      const res = await t.http
        .patch(a.base)
        .set(a.auth)
        .send({
          data: {
            type: 'account',
            id: a.id,
            attributes: { name: null, slug: null, protected: null },
          },
        })
        .expect(200);
      expect(res.body.data.attributes).toMatchObject({
        name: a.slug,
        slug: a.slug,
        protected: false,
      });
    });
  });

  describe('400', () => {
    it('rejects an unsupported apiVersion', async () => {
      const a = await given(t).account();
      const res = await patch(a, { apiVersion: '0.0' }).expect(400);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [
          {
            title: 'Bad request',
            detail: 'is invalid',
            source: { pointer: '/data/attributes/apiVersion' },
          },
        ],
      });
    });

    it('requires attributes', async () => {
      const a = await given(t).account();
      const res = await t.http
        .patch(a.base)
        .set(a.auth)
        .send({ data: { type: 'accounts' } })
        .expect(400);
      expect(res.body.errors).toEqual([
        { title: 'Bad request', detail: 'is missing', source: { pointer: '/data/attributes' } },
      ]);
    });

    it('rejects attributes it does not know', async () => {
      const a = await given(t).account();
      const res = await patch(a, { status: 'CANCELED' }).expect(400);
      expect(res.body.errors).toEqual([
        {
          title: 'Bad request',
          detail: 'unpermitted parameter',
          source: { pointer: '/data/attributes/status' },
        },
      ]);
    });

    it('rejects a blank name', async () => {
      const a = await given(t).account();
      const res = await patch(a, { name: '' }).expect(400);
      expect(res.body.errors).toEqual([
        {
          title: 'Bad request',
          detail: 'cannot be blank',
          source: { pointer: '/data/attributes/name' },
        },
      ]);
    });
  });

  describe('401', () => {
    it('requires a token', async () => {
      const a = await given(t).account();
      const res = await t.http
        .patch(a.base)
        .send({ data: { type: 'accounts', attributes: { name: 'x' } } })
        .expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_MISSING');
    });
  });

  describe('403', () => {
    it.each(['sales-agent', 'support-agent'] as const)(
      'denies a %s (policy, no reason)',
      async (role) => {
        const a = await given(t).account();
        const u = await given(t).user(a.account, { role });
        const res = await patch(a, { name: 'nope' }, u.auth).expect(403);
        expect(res.body).toEqual({
          meta: { id: res.headers['x-request-id'] },
          errors: [{ title: 'Access denied', detail: NO_REASON }],
        });
        expect(t.events.named('account.updated', a.id)).toHaveLength(0);
      },
    );

    it.each([
      ['read-only', 'read only'],
      ['user', 'user'],
    ] as const)('denies a %s (lacks account.update)', async (role, words) => {
      const a = await given(t).account();
      const u = await given(t).user(a.account, { role });
      const res = await patch(a, { name: 'nope' }, u.auth).expect(403);
      expect(res.body.errors).toEqual([
        {
          title: 'Access denied',
          detail: `You do not have permission to complete the request (${words} lacks permission to perform action)`,
        },
      ]);
    });

    it('checks the policy before the body (a sales agent with a bad body gets 403)', async () => {
      const a = await given(t).account();
      const u = await given(t).user(a.account, { role: 'sales-agent' });
      await t.http
        .patch(a.base)
        .set(u.auth)
        .send({ data: { type: 'nope' } })
        .expect(403);
    });

    it('denies an environment bearer', async () => {
      const a = await given(t).account();
      const env = await given(t).environment(a.account);
      const res = await patch(a, { slug: 'hax' }, env.auth).expect(403);
      expect(res.body.errors).toEqual([
        {
          title: 'Access denied',
          detail:
            'You do not have permission to complete the request (environment lacks permission to perform action)',
        },
      ]);
    });

    it.each(['ISOLATED', 'SHARED'] as const)(
      'denies an admin from inside a %s environment',
      async (isolationStrategy) => {
        const a = await given(t).account();
        const env = await given(t).environment(a.account, { isolationStrategy });
        const envAdmin = await given(t).user(a.account, {
          role: 'admin',
          environment: env.environment,
        });
        const headers = { ...envAdmin.auth, 'Keygen-Environment': env.environment.code };
        const res = await patch(a, { name: 'Env' }, headers).expect(403);
        expect(res.body.errors).toEqual([
          {
            title: 'Access denied',
            detail:
              'You do not have permission to complete the request (record is not compatible with the current environment)',
          },
        ]);
        expect(t.events.named('account.updated', a.id)).toHaveLength(0);
      },
    );

    it('denies a global admin who selects a shared environment', async () => {
      const a = await given(t).account();
      const env = await given(t).environment(a.account, { isolationStrategy: 'SHARED' });
      const res = await patch(
        a,
        { name: 'Env' },
        { ...a.auth, 'Keygen-Environment': env.environment.code },
      ).expect(403);
      expect(res.body.errors[0].detail).toBe(
        'You do not have permission to complete the request (record is not compatible with the current environment)',
      );
    });
  });

  describe('422', () => {
    const slugError = (code: string, detail: string) => ({
      title: 'Unprocessable resource',
      detail,
      code,
      source: { pointer: '/data/attributes/slug' },
      links: SLUG_ABOUT,
    });

    it.each([['@Invalid_slug/Is;here'], ['-'], ['-leading-dash'], ['a'], ['UPPER']])(
      'rejects the malformed slug %j',
      async (slug) => {
        const a = await given(t).account();
        const res = await patch(a, { slug }).expect(422);
        expect(res.body).toEqual({
          meta: { id: res.headers['x-request-id'] },
          errors: [
            slugError(
              'SLUG_INVALID',
              'can only contain lowercase letters, numbers and dashes (but cannot start with dash)',
            ),
          ],
        });
      },
    );

    it('rejects a slug another account uses', async () => {
      const a = await given(t).account();
      const other = await given(t).account();
      const res = await patch(a, { slug: other.slug }).expect(422);
      expect(res.body.errors).toEqual([slugError('SLUG_TAKEN', 'has already been taken')]);
    });

    it('reports both format and uniqueness for an upper-cased taken slug', async () => {
      const a = await given(t).account();
      const other = await given(t).account();
      const res = await patch(a, { slug: other.slug.toUpperCase() }).expect(422);
      expect(res.body.errors).toEqual([
        slugError(
          'SLUG_INVALID',
          'can only contain lowercase letters, numbers and dashes (but cannot start with dash)',
        ),
        slugError('SLUG_TAKEN', 'has already been taken'),
      ]);
    });

    it.each(['action', 'actions'])('rejects the reserved slug %j', async (slug) => {
      const a = await given(t).account();
      const res = await patch(a, { slug }).expect(422);
      expect(res.body.errors).toEqual([slugError('SLUG_NOT_ALLOWED', 'is reserved')]);
    });

    it.each([
      ['ace6b050-6dc0-4cb5-85e9-ad87f629255f'],
      ['ace6b0506dc04cb585e9ad87f629255f'],
      ['ace-6b0506d-c04cb5-85e9a-d87f62-9255f'],
    ])('rejects the UUID-like slug %j', async (slug) => {
      const a = await given(t).account();
      const res = await patch(a, { slug }).expect(422);
      expect(res.body.errors).toEqual([slugError('SLUG_NOT_ALLOWED', 'cannot resemble a UUID')]);
    });

    it('rejects a slug longer than 255 characters', async () => {
      const a = await given(t).account();
      const res = await patch(a, { slug: 'a'.repeat(256) }).expect(422);
      expect(res.body.errors).toEqual([
        slugError('SLUG_TOO_LONG', 'is too long (maximum is 255 characters)'),
      ]);
    });

    it('rejects a name longer than 255 characters', async () => {
      const a = await given(t).account();
      const res = await patch(a, { name: 'n'.repeat(256) }).expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable resource',
          detail: 'is too long (maximum is 255 characters)',
          code: 'NAME_TOO_LONG',
          source: { pointer: '/data/attributes/name' },
          links: { about: 'https://keygen.sh/docs/api/accounts/#accounts-object-attrs-name' },
        },
      ]);
    });

    it('changes nothing and emits nothing on a 422', async () => {
      const a = await given(t).account();
      await patch(a, { name: 'Kept?', slug: 'actions' }).expect(422);
      const res = await t.http.get(a.base).set(a.auth).expect(200);
      expect(res.body.data.attributes).toMatchObject({ name: a.slug, slug: a.slug });
      expect(t.events.named('account.updated', a.id)).toHaveLength(0);
    });
  });
});

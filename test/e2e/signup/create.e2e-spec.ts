import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { verifyPassword } from '@libs/crypto';
import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import { Account } from '@app/modules/accounts/account.entity';
import { SetupService } from '@app/modules/signup/setup.service';
import { User } from '@app/modules/users/user.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given } from '../../support/factories';
import { verifyResponseSignature } from '../../support/signature';

const HOST = 'api.keyward.test';
const rand = (): string => randomUUID().replace(/-/g, '').slice(0, 10);
const ADMINS_ABOUT = {
  about: 'https://keygen.sh/docs/api/accounts/#accounts-object-relationships-admins',
};
const SLUG_ABOUT = { about: 'https://keygen.sh/docs/api/accounts/#accounts-object-attrs-slug' };
const RELATIONSHIPS = [
  'settings',
  'webhookEndpoints',
  'webhookEvents',
  'products',
  'platforms',
  'arches',
  'channels',
  'releases',
  'artifacts',
  'policies',
  'users',
  'keys',
  'licenses',
  'machines',
  'components',
  'processes',
  'tokens',
];

interface Admin {
  email: unknown;
  password?: unknown;
  firstName?: unknown;
  lastName?: unknown;
  metadata?: unknown;
  role?: unknown;
}

function body(
  admins: Admin[],
  attributes?: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return {
    data: {
      type: 'accounts',
      ...(attributes ? { attributes } : {}),
      relationships: { admins: { data: admins.map((a) => ({ type: 'user', attributes: a })) } },
    },
    ...extra,
  };
}

describe('POST /v1/accounts', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootApp({ EMAIL_CHECK_FREE_DOMAINS: 'freemail.example, Other-Free.example' });
  });
  afterAll(() => t.close());

  const post = (b: unknown) =>
    t.http
      .post('/v1/accounts')
      .set('Host', HOST)
      .send(b as object);
  const accountBySlug = (slug: string) => t.ds.getRepository(Account).findOneBy({ slug });
  const adminsOf = (accountId: string) =>
    t.ds.getRepository(User).find({ where: { accountId }, order: { email: 'ASC' } });

  describe('201', () => {
    it('creates the account with its admin, answers with Location and signs with the new account key', async () => {
      const d = rand();
      const res = await post(
        body(
          [
            {
              firstName: 'Larry',
              lastName: 'Page',
              email: `  LPage@${d}.example `,
              password: 'googling',
            },
          ],
          {
            name: 'Google',
            slug: `google-${d}`,
          },
        ),
      ).expect(201);

      const data = res.body.data;
      expect(Object.keys(res.body)).toEqual(['data']);
      expect(data.id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(data.type).toBe('accounts');
      expect(data.attributes).toEqual({
        name: 'Google',
        slug: `google-${d}`,
        apiVersion: '1.8',
        protected: false,
        status: 'SUBSCRIBED',
        created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updated: data.attributes.created,
      });
      expect(Object.keys(data.relationships)).toEqual(RELATIONSHIPS);
      expect(data.relationships.webhookEndpoints).toEqual({
        links: { related: `/v1/accounts/${data.id}/webhook-endpoints` },
      });
      expect(data.links).toEqual({ self: `/v1/accounts/${data.id}` });
      expect(Object.keys(data.meta)).toEqual(['publicKey', 'keys']);
      expect(Object.keys(data.meta.keys)).toEqual(['ed25519', 'rsa2048', 'ecdsa']);
      expect(data.meta.publicKey).toBe(data.meta.keys.rsa2048);

      expect(res.headers.location).toBe(`https://${HOST}/v1/accounts/${data.id}`);
      expect(res.headers['keygen-version']).toBe('1.8');
      expect(res.headers['content-type']).toBe('application/vnd.api+json; charset=utf-8');
      expect(res.headers['keygen-bearer']).toBeUndefined();
      const ed25519 = Buffer.from(data.meta.keys.ed25519, 'base64').toString();
      expect(res.headers['keygen-signature']).toContain(`keyid="${data.id}"`);
      expect(
        verifyResponseSignature(res, {
          method: 'POST',
          path: '/v1/accounts',
          host: HOST,
          publicKey: ed25519,
        }),
      ).toBe(true);

      const stored = await t.ds.getRepository(Account).findOneByOrFail({ id: data.id });
      expect(stored.slug).toBe(`google-${d}`);
      const [admin] = await adminsOf(data.id);
      expect(admin).toMatchObject({
        email: `lpage@${d}.example`,
        firstName: 'Larry',
        lastName: 'Page',
        role: 'admin',
        environmentId: null,
        metadata: {},
      });
      expect([...admin.permissions].sort()).toEqual([...DEFAULT_PERMISSIONS.admin].sort());
      expect(await verifyPassword('googling', admin.passwordDigest!)).toBe(true);
      expect(t.events.named('account.updated', data.id)).toHaveLength(0);
      expect(t.events.named('user.created', data.id)).toHaveLength(0);
    });

    it('signs with the algorithm the client asks for', async () => {
      const d = rand();
      const res = await post(body([{ email: `a@${d}.example` }]))
        .set('Keygen-Accept-Signature', 'algorithm="rsa-pss-sha256"')
        .expect(201);
      const rsa = Buffer.from(res.body.data.meta.keys.rsa2048, 'base64').toString();
      expect(
        verifyResponseSignature(res, {
          method: 'POST',
          path: '/v1/accounts',
          host: HOST,
          publicKey: rsa,
        }),
      ).toBe(true);
    });

    it('lets the new admin use the account right away', async () => {
      const d = rand();
      const res = await post(body([{ email: `zeke@${d}.example`, password: 'secret123' }])).expect(
        201,
      );
      const account = await t.ds.getRepository(Account).findOneByOrFail({ id: res.body.data.id });
      const [admin] = await adminsOf(account.id);
      const tok = await given(t).token(account, {
        type: 'users',
        id: admin.id,
        role: 'admin',
        environmentId: null,
      });
      const show = await t.http
        .get(`/v1/accounts/${account.slug}`)
        .set('Authorization', `Bearer ${tok.raw}`)
        .expect(200);
      expect(show.body.data.id).toBe(account.id);
    });

    it('ignores the Authorization header (an admin of another account may sign up)', async () => {
      const other = await given(t).account();
      const d = rand();
      const res = await post(
        body([{ email: `x@${d}.example`, password: 'hunter2!' }], { name: 'Google' }),
      )
        .set(other.auth)
        .expect(201);
      expect(res.body.data.attributes.name).toBe('Google');
    });

    it('creates several admins, all with the admin role', async () => {
      const d = rand();
      const res = await post(
        body([
          { email: `lpage@${d}.example`, password: 'password1' },
          { email: `sbrin@${d}.example` },
          { email: `spichai@${d}.example`, password: 'password3', role: 'admin' },
        ]),
      ).expect(201);
      const admins = await adminsOf(res.body.data.id);
      expect(admins.map((u) => [u.email, u.role, u.passwordDigest === null])).toEqual([
        [`lpage@${d}.example`, 'admin', false],
        [`sbrin@${d}.example`, 'admin', true],
        [`spichai@${d}.example`, 'admin', false],
      ]);
    });

    it('pins the Keygen-Version of the request', async () => {
      const res = await post(body([{ email: `v@${rand()}.example` }]))
        .set('Keygen-Version', '1.5')
        .expect(201);
      expect(res.body.data.attributes.apiVersion).toBe('1.5');
      expect(res.headers['keygen-version']).toBe('1.5');
    });

    it('creates a protected account', async () => {
      const res = await post(body([{ email: `p@${rand()}.example` }], { protected: true })).expect(
        201,
      );
      expect(res.body.data.attributes.protected).toBe(true);
    });

    it('accepts and ignores a plan and meta.referral, and stores admin metadata', async () => {
      const d = rand();
      const b = body(
        [{ email: `elliot@${d}.example`, password: 'mr.robot', metadata: { fooBar: 'baz' } }],
        undefined,
        {
          meta: { referral: 'bf376e7e-31a1-45d4-9e6d-d12f31fa5353' },
        },
      );
      (b.data.relationships as Record<string, unknown>).plan = {
        data: { type: 'plans', id: '9d3c7a1e-8a57-4b5c-9a0b-3a4b5c6d7e8f' },
      };
      const res = await post(b).expect(201);
      const [admin] = await adminsOf(res.body.data.id);
      expect(admin.metadata).toEqual({ foo_bar: 'baz' });
    });

    describe('slug and name derivation', () => {
      it('derives them from a company e-mail host', async () => {
        const d = rand();
        const res = await post(
          body([{ email: `zeke@${d}.example`, password: 'pa$$w0rd!' }]),
        ).expect(201);
        expect(res.body.data.attributes).toMatchObject({
          slug: `${d}-example`,
          name: `${d}.example`,
        });
      });

      it('uses the last founder (Keygen: admins.last)', async () => {
        const [d1, d2] = [rand(), rand()];
        const res = await post(
          body([{ email: `a@${d1}.example` }, { email: `b@${d2}.example` }]),
        ).expect(201);
        expect(res.body.data.attributes.slug).toBe(`${d2}-example`);
      });

      it('keeps a given name while deriving the slug', async () => {
        const d = rand();
        const res = await post(
          body([{ email: `a@${d}.example` }], { name: 'Latest Version' }),
        ).expect(201);
        expect(res.body.data.attributes).toMatchObject({
          slug: `${d}-example`,
          name: 'Latest Version',
        });
      });

      it.each([
        'gmail.com',
        'proton.me',
        'gmx.de',
        'mail.ru',
        'mailinator.com',
        'cs.mit.edu',
        'ox.ac.uk',
      ])('uses the local part for %s', async (host) => {
        const user = `foo_bar.${rand()}`;
        const res = await post(body([{ email: `${user}@${host}`, password: 'passw0rd' }])).expect(
          201,
        );
        expect(res.body.data.attributes).toMatchObject({
          slug: user.replace(/[_.]/g, '-'),
          name: user,
        });
      });

      it('uses the local part for domains from EMAIL_CHECK_FREE_DOMAINS', async () => {
        const user = `owner${rand()}`;
        const res = await post(body([{ email: `${user}@other-free.example` }])).expect(201);
        expect(res.body.data.attributes).toMatchObject({ slug: user, name: user });
      });

      it('lower-cases an all-caps free-mail address', async () => {
        const user = `TEST${rand().toUpperCase()}`;
        const res = await post(body([{ email: `${user}@GMAIL.COM`, password: 'pa$$word' }])).expect(
          201,
        );
        expect(res.body.data.attributes).toMatchObject({
          slug: user.toLowerCase(),
          name: user.toLowerCase(),
        });
      });

      it('appends a random suffix when a free-mail slug is taken', async () => {
        const user = `zekeg${rand()}`;
        await given(t).account({ slug: user });
        const res = await post(body([{ email: `${user}@gmail.com`, password: 'passw0rd' }])).expect(
          201,
        );
        expect(res.body.data.attributes.name).toBe(user);
        expect(res.body.data.attributes.slug).toMatch(new RegExp(`^${user}-[a-z]+-[a-z]+-\\d{4}$`));
      });

      it('overrides a given slug and name for a free-mail founder (Keygen quirk)', async () => {
        const user = `solo${rand()}`;
        const res = await post(
          body([{ email: `${user}@freemail.example` }], { name: 'Acme', slug: `acme-${rand()}` }),
        ).expect(201);
        expect(res.body.data.attributes).toMatchObject({ slug: user, name: user });
      });
    });
  });

  describe('400', () => {
    const badRequest = (detail: string, pointer: string) => ({
      title: 'Bad request',
      detail,
      source: { pointer },
    });

    it('requires relationships', async () => {
      const res = await post({ data: { type: 'accounts', attributes: { name: 'Google' } } }).expect(
        400,
      );
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [badRequest('is missing', '/data/relationships')],
      });
    });

    it('requires admins', async () => {
      const res = await post({
        data: {
          type: 'accounts',
          relationships: { plan: { data: { type: 'plans', id: randomUUID() } } },
        },
      }).expect(400);
      expect(res.body.errors).toEqual([badRequest('is missing', '/data/relationships/admins')]);
    });

    it('does not require a plan but checks one that is given', async () => {
      const b = body([{ email: `x@${rand()}.example` }]);
      (b.data.relationships as Record<string, unknown>).plan = {
        data: { type: 'plans', id: 'invalid' },
      };
      const res = await post(b).expect(400);
      expect(res.body.errors).toEqual([
        badRequest(
          'type mismatch (received string expected UUID string)',
          '/data/relationships/plan/data/id',
        ),
      ]);
    });

    it('only accepts the admin role', async () => {
      const res = await post(body([{ email: `pjrvs@${rand()}.example`, role: 'user' }])).expect(
        400,
      );
      expect(res.body.errors).toEqual([
        badRequest('is invalid', '/data/relationships/admins/data/0/attributes/role'),
      ]);
    });

    it('rejects a non-object admin', async () => {
      const b = body([{ email: `a@${rand()}.example` }]);
      (b.data.relationships.admins.data as unknown[]).push('invalidParameter');
      const res = await post(b).expect(400);
      expect(res.body.errors).toEqual([
        badRequest(
          'type mismatch (received string expected object)',
          '/data/relationships/admins/data/1',
        ),
      ]);
    });

    it('requires an admin e-mail', async () => {
      const res = await post(
        body([{ email: `a@${rand()}.example` }, { password: 'secret123' } as Admin]),
      ).expect(400);
      expect(res.body.errors).toEqual([
        badRequest('is missing', '/data/relationships/admins/data/1/attributes/email'),
      ]);
    });

    it('rejects a client id and unknown attributes', async () => {
      const withId = body([{ email: `a@${rand()}.example` }]);
      (withId.data as Record<string, unknown>).id = randomUUID();
      expect((await post(withId).expect(400)).body.errors).toEqual([
        badRequest('unpermitted parameter', '/data/id'),
      ]);
      const unknown = await post(
        body([{ email: `a@${rand()}.example` }], { apiVersion: '1.0' }),
      ).expect(400);
      expect(unknown.body.errors).toEqual([
        badRequest('unpermitted parameter', '/data/attributes/apiVersion'),
      ]);
    });

    it('rejects an unsupported Keygen-Version', async () => {
      const res = await post(body([{ email: `a@${rand()}.example` }]))
        .set('Keygen-Version', '1.9')
        .expect(400);
      expect(res.body.errors[0]).toMatchObject({
        detail: 'unsupported API version requested',
        code: 'INVALID_API_VERSION',
      });
    });

    it('rejects invalid JSON', async () => {
      const res = await t.http
        .post('/v1/accounts')
        .set('Content-Type', 'application/vnd.api+json')
        .send('{"data":{"type":"accounts",}}')
        .expect(400);
      expect(res.body).toEqual({
        errors: [
          {
            title: 'Bad request',
            detail:
              'The request could not be completed because it contains invalid JSON (check formatting/encoding)',
            code: 'JSON_INVALID',
          },
        ],
      });
    });
  });

  describe('409', () => {
    it('writes nothing when a later row fails (duplicate founder e-mails)', async () => {
      const d = rand();
      const slug = `dupes-${d}`;
      const res = await post(
        body([{ email: `same@${d}.example` }, { email: `SAME@${d}.example` }], { slug }),
      ).expect(409);
      expect(res.body.errors).toEqual([
        { title: 'Conflict', detail: 'The request could not be completed because of a conflict' },
      ]);
      expect(await accountBySlug(slug)).toBeNull();
      expect(await t.ds.getRepository(User).countBy({ email: `same@${d}.example` })).toBe(0);
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
    const emailInvalid = (i: number) => ({
      title: 'Unprocessable resource',
      detail: 'is invalid',
      code: 'USERS_EMAIL_INVALID',
      source: { pointer: `/data/relationships/admins/data/${i}/attributes/email` },
      links: ADMINS_ABOUT,
    });

    it('rejects invalid admin e-mails, one error per admin, and writes nothing', async () => {
      const slug = `google-${rand()}`;
      const res = await post(
        body([{ email: 'lpage^keygen.sh', password: 'password1' }, { email: 'sbrin*keygen.sh' }], {
          slug,
        }),
      ).expect(422);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [emailInvalid(0), emailInvalid(1)],
      });
      expect(await accountBySlug(slug)).toBeNull();
    });

    it('reports admin errors before account errors', async () => {
      const res = await post(
        body([{ email: 'missingatsymbol.keygen.sh', password: 'abc' }], { slug: '-' }),
      ).expect(422);
      expect(res.body.errors).toEqual([
        emailInvalid(0),
        {
          title: 'Unprocessable resource',
          detail: 'is too short (minimum is 6 characters)',
          code: 'USERS_PASSWORD_TOO_SHORT',
          source: { pointer: '/data/relationships/admins/data/0/attributes/password' },
          links: ADMINS_ABOUT,
        },
        slugError(
          'SLUG_INVALID',
          'can only contain lowercase letters, numbers and dashes (but cannot start with dash)',
        ),
      ]);
    });

    it('requires at least one admin', async () => {
      const res = await post(body([], { slug: `empty-${rand()}` })).expect(422);
      expect(res.body.errors).toEqual([
        {
          title: 'Unprocessable resource',
          detail: 'must have at least one admin user',
          code: 'USERS_TOO_SHORT',
          source: { pointer: '/data/relationships/admins' },
          links: ADMINS_ABOUT,
        },
      ]);
    });

    it('accepts at most 10 admins', async () => {
      const d = rand();
      const admins = Array.from({ length: 11 }, (_, i) => ({ email: `a${i}@${d}.example` }));
      const res = await post(body(admins)).expect(422);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [{ title: 'Unprocessable entity', detail: 'too many records' }],
      });
    });

    it('checks the slug as sent: upper case is invalid and also taken', async () => {
      const existing = await given(t).account();
      const res = await post(
        body([{ email: `zeke@${rand()}.example` }], { slug: existing.slug.toUpperCase() }),
      ).expect(422);
      expect(res.body.errors).toEqual([
        slugError(
          'SLUG_INVALID',
          'can only contain lowercase letters, numbers and dashes (but cannot start with dash)',
        ),
        slugError('SLUG_TAKEN', 'has already been taken'),
      ]);
    });

    it.each([
      [
        '@Invalid_slug/Is;here',
        'SLUG_INVALID',
        'can only contain lowercase letters, numbers and dashes (but cannot start with dash)',
      ],
      [
        '-',
        'SLUG_INVALID',
        'can only contain lowercase letters, numbers and dashes (but cannot start with dash)',
      ],
      ['actions', 'SLUG_NOT_ALLOWED', 'is reserved'],
      ['ace6b050-6dc0-4cb5-85e9-ad87f629255f', 'SLUG_NOT_ALLOWED', 'cannot resemble a UUID'],
      ['ace6b0506dc04cb585e9ad87f629255f', 'SLUG_NOT_ALLOWED', 'cannot resemble a UUID'],
      ['ace-6b0506d-c04cb5-85e9a-d87f62-9255f', 'SLUG_NOT_ALLOWED', 'cannot resemble a UUID'],
    ])('rejects the slug %j', async (slug, code, detail) => {
      const res = await post(
        body([{ email: `elliot@${rand()}.example`, password: 'mr.robot' }], { slug }),
      ).expect(422);
      expect(res.body.errors).toEqual([slugError(code, detail)]);
    });

    it('refuses a derived slug that another account of the domain already uses', async () => {
      const d = rand();
      await given(t).account({ slug: `${d}-sh` });
      const res = await post(body([{ email: `zeke@${d}.sh`, password: 'pa$$w0rd!' }])).expect(422);
      expect(res.body.errors).toEqual([
        slugError(
          'SLUG_NOT_ALLOWED',
          'already exists for this domain (please use a different domain or use account recovery)',
        ),
      ]);
    });

    it.each([
      'ace6b050-6dc0-4cb5-85e9-ad87f629255f@icloud.com',
      '-ace6b0506dc04cb585e9ad87f629255f-@icloud.com',
    ])('refuses a UUID-like slug derived from %s', async (email) => {
      const res = await post(body([{ email, password: 'secret123' }])).expect(422);
      expect(res.body.errors).toEqual([slugError('SLUG_NOT_ALLOWED', 'cannot resemble a UUID')]);
    });

    it('rejects a name longer than 255 characters', async () => {
      const res = await post(
        body([{ email: `a@${rand()}.example` }], { name: 'n'.repeat(256) }),
      ).expect(422);
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
  });

  describe('first boot in multiplayer mode', () => {
    it('creates nothing and points at POST /v1/accounts', async () => {
      const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
      try {
        const before = await t.ds.getRepository(Account).count();
        await expect(t.app.get(SetupService).ensureSingleplayerAccount()).resolves.toEqual({
          created: false,
          accountId: null,
        });
        expect(await t.ds.getRepository(Account).count()).toBe(before);
        expect(log.mock.calls.map((c) => String(c[0])).join('\n')).toContain('POST /v1/accounts');
      } finally {
        log.mockRestore();
      }
    });
  });
});

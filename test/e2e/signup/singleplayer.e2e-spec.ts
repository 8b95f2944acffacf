import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { verifyPassword } from '@libs/crypto';
import { Account } from '@app/modules/accounts/account.entity';
import { SetupService, type SetupResult } from '@app/modules/signup/setup.service';
import { User } from '@app/modules/users/user.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

const ROUTE_NOT_FOUND = {
  title: 'Not found',
  detail:
    'The requested endpoint was not found (check your HTTP method, Accept header, and URL path)',
  code: 'NOT_FOUND',
};

/** Singleplayer mode: one account, first-boot setup from the environment, unscoped routes. */
describe('singleplayer mode', () => {
  const accountId = randomUUID();
  const domain = `solo${randomUUID().slice(0, 8)}.example`;
  const password = 'env-Secret-123';
  let t: TestApp;
  let setup: SetupResult;
  let logged: string;
  let account: Account;
  let admin: User;
  let auth: Record<string, string>;
  let other: GivenAccount;

  beforeAll(async () => {
    t = await bootApp({
      KEYGEN_MODE: 'singleplayer',
      KEYGEN_ACCOUNT_ID: accountId,
      KEYGEN_ADMIN_EMAIL: ` Owner@${domain.toUpperCase()} `,
      KEYGEN_ADMIN_PASSWORD: password,
    });
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      setup = await t.app.get(SetupService).ensureSingleplayerAccount();
      logged = log.mock.calls.map((c) => String(c[0])).join('\n');
    } finally {
      log.mockRestore();
    }
    account = await t.ds.getRepository(Account).findOneByOrFail({ id: accountId });
    admin = await t.ds.getRepository(User).findOneByOrFail({ accountId });
    const tok = await given(t).token(account, {
      type: 'users',
      id: admin.id,
      role: 'admin',
      environmentId: null,
    });
    auth = { Authorization: `Bearer ${tok.raw}` };
    other = await given(t).account();
  });
  afterAll(() => t.close());

  describe('first boot with KEYGEN_ADMIN_EMAIL / KEYGEN_ADMIN_PASSWORD', () => {
    it('creates the account with a slug derived from the admin e-mail domain', () => {
      expect(setup).toEqual({
        created: true,
        accountId,
        adminEmail: `owner@${domain}`,
        generatedPassword: undefined,
      });
      expect(account).toMatchObject({
        slug: domain.replace('.', '-'),
        apiVersion: '1.8',
        protected: false,
      });
    });

    it('creates the admin with the password from the environment', async () => {
      expect(admin).toMatchObject({ email: `owner@${domain}`, role: 'admin', environmentId: null });
      expect(await verifyPassword(password, admin.passwordDigest!)).toBe(true);
    });

    it('never prints a password that came from the environment', () => {
      expect(logged).toContain(accountId);
      expect(logged).toContain(`owner@${domain}`);
      expect(logged).not.toContain(password);
      expect(logged).toContain(
        `curl -s -X POST http://localhost:${t.config.port}/v1/accounts/${accountId}/tokens -H 'Accept: application/vnd.api+json' -u "owner@${domain}:$KEYGEN_ADMIN_PASSWORD"`,
      );
    });
  });

  describe('POST /v1/accounts', () => {
    it('is not routed (404 like an unknown route, unsigned)', async () => {
      const res = await t.http
        .post('/v1/accounts')
        .send({
          data: {
            type: 'accounts',
            relationships: {
              admins: { data: [{ type: 'user', attributes: { email: `x@${domain}` } }] },
            },
          },
        })
        .expect(404);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [ROUTE_NOT_FOUND],
      });
      expect(res.headers['keygen-signature']).toBeUndefined();
      expect(res.headers['keygen-account']).toBeUndefined();
      expect(res.headers['keygen-mode']).toBe('singleplayer');
    });

    it('answers 404 before looking at the body', async () => {
      const res = await t.http
        .post('/v1/accounts')
        .send({ data: { type: 'nope' } })
        .expect(404);
      expect(res.body.errors).toEqual([ROUTE_NOT_FOUND]);
    });

    it('creates no account', async () => {
      expect(await t.ds.getRepository(User).countBy({ email: `x@${domain}` })).toBe(0);
    });
  });

  describe('account-scoped routes', () => {
    it('serves the account by id and by slug', async () => {
      const byId = await t.http.get(`/v1/accounts/${accountId}`).set(auth).expect(200);
      expect(byId.body.data).toMatchObject({
        id: accountId,
        type: 'accounts',
        attributes: { slug: account.slug },
      });
      expect(byId.headers['keygen-account']).toBe(accountId);
      const bySlug = await t.http.get(`/v1/accounts/${account.slug}`).set(auth).expect(200);
      expect(bySlug.body.data.id).toBe(accountId);
    });

    it.each([
      ['id', () => other.id],
      ['slug', () => other.slug],
    ])('refuses another existing account by %s', async (_label, value) => {
      const res = await t.http.get(`/v1/accounts/${value()}`).set(other.auth).expect(404);
      expect(res.body).toEqual({
        meta: { id: res.headers['x-request-id'] },
        errors: [
          {
            title: 'Not found',
            detail: `account is invalid (expected ${accountId})`,
            code: 'NOT_FOUND',
          },
        ],
      });
    });

    it('still reports an unknown account as not found', async () => {
      const res = await t.http.get('/v1/accounts/no-such-account').set(auth).expect(404);
      expect(res.body.errors[0].detail).toBe(
        "The requested account 'no-such-account' was not found",
      );
    });

    it('updates the account', async () => {
      const res = await t.http
        .patch(`/v1/accounts/${accountId}`)
        .set(auth)
        .send({ data: { type: 'accounts', attributes: { name: 'Solo' } } })
        .expect(200);
      expect(res.body.data.attributes.name).toBe('Solo');
    });
  });

  describe('unscoped routes', () => {
    it('creates and lists settings without the /accounts/{id} prefix', async () => {
      const created = await t.http
        .post('/v1/settings')
        .set(auth)
        .send({
          data: {
            type: 'settings',
            attributes: { key: 'default_user_permissions', value: ['user.read'] },
          },
        })
        .expect(201);
      const id = created.body.data.id as string;
      expect(created.body.data.links.self).toBe(`/v1/accounts/${accountId}/settings/${id}`);
      expect(created.headers.location).toBe(
        `https://api.keyward.test/v1/accounts/${accountId}/settings/${id}`,
      );

      const list = await t.http.get('/v1/settings').set(auth).expect(200);
      expect(list.body.data.map((s: { id: string }) => s.id)).toEqual([id]);
      const show = await t.http.get('/v1/settings/default_user_permissions').set(auth).expect(200);
      expect(show.body.data.id).toBe(id);
    });

    it('rejects a token of another account', async () => {
      const res = await t.http.get('/v1/settings').set(other.auth).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_INVALID');
    });
  });

  describe('restart', () => {
    it('leaves the existing account alone', async () => {
      const again = await t.app.get(SetupService).ensureSingleplayerAccount();
      expect(again).toEqual({ created: false, accountId });
      expect(await t.ds.getRepository(User).countBy({ accountId })).toBe(1);
    });
  });
});

import { tokenDigest } from '@libs/crypto';
import { AccountsCache } from '@app/modules/accounts/accounts.cache';
import { User } from '@app/modules/users/user.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { expectSigned } from './support';

describe('POST /v1/accounts/:account/passwords', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  const request = (body: unknown, headers: Record<string, string> = {}) =>
    t.http
      .post(`${a.base}/passwords`)
      .set(headers)
      .send(body as object);
  const stored = async (id: string): Promise<User> =>
    (await t.ds.getRepository(User).findOneBy({ id }))!;
  const resets = () => t.events.named('user.password-reset', a.id);

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());

  describe('204', () => {
    it('stores a digest of a fresh reset token and publishes the raw token in the event', async () => {
      const u = await g.user(a.account);
      const before = resets().length;
      const res = await request({ meta: { email: u.user.email } }).expect(204);
      expect(res.text).toBe('');
      expectSigned(res);
      const events = resets();
      expect(events).toHaveLength(before + 1);
      const event = events[events.length - 1];
      expect(event.resource).toMatchObject({ type: 'users', id: u.user.id });
      const raw = event.meta!.passwordResetToken as string;
      expect(raw).toMatch(/^[0-9a-f]{48}v3$/);
      const row = await stored(u.user.id);
      const secret = (await t.app.get(AccountsCache).resolve(a.id))!.secretKey;
      expect(row.passwordResetDigest).toBe(tokenDigest(secret, raw));
      expect(row.passwordResetSentAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    });

    it('matches the e-mail case-insensitively and finds users of any environment', async () => {
      const env = await g.environment(a.account);
      const u = await g.user(a.account, {
        environment: env.environment,
        email: 'Someone.Else@Keyward.example',
      });
      const before = resets().length;
      await request({ meta: { email: 'SOMEONE.else@keyward.EXAMPLE' } }).expect(204);
      expect(resets()).toHaveLength(before + 1);
      expect(resets()[before].resource.id).toBe(u.user.id);
    });

    it('still publishes the event when delivery is declined', async () => {
      const u = await g.user(a.account);
      const before = resets().length;
      await request({ meta: { email: u.user.email, deliver: false } }).expect(204);
      expect(resets()).toHaveLength(before + 1);
    });

    it('answers 204 for unknown addresses without an event', async () => {
      const before = resets().length;
      await request({ meta: { email: 'bad@email.com' } }).expect(204);
      expect(resets()).toHaveLength(before);
    });

    it('is reachable with valid credentials too', async () => {
      await request({ meta: { email: 'bad@email.com' } }, a.auth).expect(204);
    });
  });

  describe('400', () => {
    it.each<[string, unknown, string, string]>([
      ['an empty meta', { meta: {} }, 'is missing', '/meta/email'],
      ['no meta', {}, 'is missing', '/meta'],
      [
        'a non-boolean deliver',
        { meta: { email: 'a@b.co', deliver: 'no' } },
        'type mismatch (received string expected boolean)',
        '/meta/deliver',
      ],
      [
        'a non-string e-mail',
        { meta: { email: 42 } },
        'type mismatch (received integer expected string)',
        '/meta/email',
      ],
      ['a data member', { data: {}, meta: { email: 'a@b.co' } }, 'unpermitted parameter', '/data'],
    ])('rejects %s', async (_name, body, detail, pointer) => {
      const before = resets().length;
      const res = await request(body).expect(400);
      expect(res.body.errors).toEqual([{ title: 'Bad request', detail, source: { pointer } }]);
      expect(resets()).toHaveLength(before);
    });
  });

  describe('401', () => {
    it('rejects invalid credentials', async () => {
      const res = await request(
        { meta: { email: 'bad@email.com' } },
        { Authorization: 'Bearer user-00v3' },
      ).expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_INVALID');
    });
  });
});

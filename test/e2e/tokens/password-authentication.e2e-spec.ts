import { totpCode } from '@libs/crypto';
import { bootApp, type TestApp } from '../../support/app';
import { basic, given, type GivenAccount } from '../../support/factories';
import { enableTotp, tokenPattern } from './helpers';

const AUTH_HEADER = { header: 'Authorization' };

describe('POST /v1/accounts/:account/tokens with Basic email:password', () => {
  let t: TestApp;
  let a: GivenAccount;

  beforeAll(async () => {
    t = await bootApp({ NO_RACK_ATTACK: '1' });
    a = await given(t).account();
  });
  afterAll(() => t.close());

  const url = (): string => `${a.base}/tokens`;
  const login = (email: string, password: string) =>
    t.http.post(url()).set('Authorization', basic(email, password));
  const rawBasic = (decoded: string): string => `Basic ${Buffer.from(decoded).toString('base64')}`;

  describe('201', () => {
    it('accepts the e-mail in any case', async () => {
      const u = await given(t).user(a.account);
      const res = await login(u.user.email.toUpperCase(), u.password).expect(201);
      expect(res.body.data.relationships.bearer.data).toEqual({ type: 'users', id: u.user.id });
    });

    it('accepts a valid OTP from a user with 2FA enabled', async () => {
      const u = await given(t).user(a.account, { role: 'admin' });
      const secret = await enableTotp(t, u.user);
      const res = await login(u.user.email, u.password)
        .send({ meta: { otp: totpCode(secret, t.clock.now().getTime()) } })
        .expect(201);
      expect(res.body.data.attributes.kind).toBe('admin-token');
      expect(res.body.data.attributes.token).toMatch(tokenPattern('admin'));
    });
  });

  describe('401', () => {
    it('EMAIL_REQUIRED when the username is not an e-mail address', async () => {
      const res = await login('foo@bar', 'secret').expect(401);
      expect(res.body.errors).toEqual([
        {
          title: 'Unauthorized',
          detail: 'email is required',
          code: 'EMAIL_REQUIRED',
          source: AUTH_HEADER,
        },
      ]);
      expect(res.headers['www-authenticate']).toBe('Basic realm="keygen"');
      expect(res.body.meta.id).toBe(res.headers['x-request-id']);
    });

    it('EMAIL_REQUIRED for a null byte inside the e-mail', async () => {
      const res = await t.http
        .post(url())
        .set('Authorization', 'Basic Zm9vQGJhAHIuZXhhbXBsZTpiYXo=')
        .expect(401);
      expect(res.body.errors[0]).toEqual({
        title: 'Unauthorized',
        detail: 'email is required',
        code: 'EMAIL_REQUIRED',
        source: AUTH_HEADER,
      });
    });

    it('EMAIL_INVALID for an unknown e-mail', async () => {
      const res = await login('foo@bar.example', 'secret').expect(401);
      expect(res.body.errors).toEqual([
        {
          title: 'Unauthorized',
          detail: 'email must be valid',
          code: 'EMAIL_INVALID',
          source: AUTH_HEADER,
        },
      ]);
    });

    it('EMAIL_INVALID for a user of another environment', async () => {
      const env = await given(t).environment(a.account);
      const u = await given(t).user(a.account, { environment: env.environment });
      const res = await login(u.user.email, u.password).expect(401);
      expect(res.body.errors[0].code).toBe('EMAIL_INVALID');
    });

    it('PASSWORD_NOT_SUPPORTED for a passwordless user, even with an empty password', async () => {
      const u = await given(t).user(a.account, { password: null });
      const res = await t.http
        .post(url())
        .set('Authorization', rawBasic(`${u.user.email}:`))
        .expect(401);
      expect(res.body.errors).toEqual([
        {
          title: 'Unauthorized',
          detail: 'password is unsupported',
          code: 'PASSWORD_NOT_SUPPORTED',
          source: AUTH_HEADER,
        },
      ]);
    });

    it('PASSWORD_REQUIRED for an empty password, before the second factor', async () => {
      const u = await given(t).user(a.account);
      await enableTotp(t, u.user);
      const res = await t.http
        .post(url())
        .set('Authorization', rawBasic(`${u.user.email}:`))
        .expect(401);
      expect(res.body.errors).toEqual([
        {
          title: 'Unauthorized',
          detail: 'password is required',
          code: 'PASSWORD_REQUIRED',
          source: AUTH_HEADER,
        },
      ]);
    });

    it('OTP_REQUIRED without meta.otp, checked before the password', async () => {
      const u = await given(t).user(a.account, { role: 'admin' });
      await enableTotp(t, u.user);
      const res = await login(u.user.email, 'wrong-password').expect(401);
      expect(res.body.errors).toEqual([
        {
          title: 'Unauthorized',
          detail: 'second factor is required',
          code: 'OTP_REQUIRED',
          source: { pointer: '/meta/otp' },
        },
      ]);
    });

    it('OTP_INVALID for a wrong code', async () => {
      const u = await given(t).user(a.account, { role: 'admin' });
      await enableTotp(t, u.user);
      const res = await login(u.user.email, u.password)
        .send({ meta: { otp: '000000' } })
        .expect(401);
      expect(res.body.errors).toEqual([
        {
          title: 'Unauthorized',
          detail: 'second factor must be valid',
          code: 'OTP_INVALID',
          source: { pointer: '/meta/otp' },
        },
      ]);
    });

    it('OTP_INVALID when a code is replayed', async () => {
      const u = await given(t).user(a.account);
      const secret = await enableTotp(t, u.user);
      const otp = totpCode(secret, t.clock.now().getTime());
      await login(u.user.email, u.password).send({ meta: { otp } }).expect(201);
      const res = await login(u.user.email, u.password).send({ meta: { otp } }).expect(401);
      expect(res.body.errors[0].code).toBe('OTP_INVALID');
      t.clock.advance(30_000);
      await login(u.user.email, u.password)
        .send({ meta: { otp: totpCode(secret, t.clock.now().getTime()) } })
        .expect(201);
    });

    it('PASSWORD_INVALID for a wrong password, and for a null byte inside it', async () => {
      const u = await given(t).user(a.account);
      const res = await login(u.user.email, 'wrong-password').expect(401);
      expect(res.body.errors).toEqual([
        {
          title: 'Unauthorized',
          detail: 'password must be valid',
          code: 'PASSWORD_INVALID',
          source: AUTH_HEADER,
        },
      ]);
      const nul = await t.http
        .post(url())
        .set('Authorization', rawBasic(`${u.user.email}:ba\u0000z`))
        .expect(401);
      expect(nul.body.errors[0].code).toBe('PASSWORD_INVALID');
    });

    it('TOKEN_INVALID for an empty Basic credential', async () => {
      const res = await t.http.post(url()).set('Authorization', rawBasic(':')).expect(401);
      expect(res.body.errors[0]).toMatchObject({ code: 'TOKEN_INVALID' });
    });
  });

  describe('API version 1.7', () => {
    it.each([
      ['EMAIL_REQUIRED', 'foo@bar', 'x'],
      ['EMAIL_INVALID', 'foo@bar.example', 'x'],
    ])('rewrites %s to CREDENTIALS_INVALID', async (_code, email, password) => {
      const res = await login(email, password).set('Keygen-Version', '1.7').expect(401);
      expect(res.body.errors).toEqual([
        {
          title: 'Unauthorized',
          detail: 'email and password must be valid',
          code: 'CREDENTIALS_INVALID',
          source: AUTH_HEADER,
        },
      ]);
      expect(res.headers['keygen-version']).toBe('1.7');
    });

    it('rewrites PASSWORD_INVALID, PASSWORD_REQUIRED and PASSWORD_NOT_SUPPORTED', async () => {
      const u = await given(t).user(a.account);
      const passwordless = await given(t).user(a.account, { password: null });
      for (const [email, password] of [
        [u.user.email, 'wrong-password'],
        [u.user.email, ''],
        [passwordless.user.email, 'whatever'],
      ]) {
        const res = await t.http
          .post(url())
          .set('Authorization', rawBasic(`${email}:${password}`))
          .set('Keygen-Version', '1.7')
          .expect(401);
        expect(res.body.errors[0]).toMatchObject({
          code: 'CREDENTIALS_INVALID',
          detail: 'email and password must be valid',
        });
      }
    });

    it('keeps OTP codes as they are', async () => {
      const u = await given(t).user(a.account);
      await enableTotp(t, u.user);
      const res = await login(u.user.email, u.password).set('Keygen-Version', '1.7').expect(401);
      expect(res.body.errors[0].code).toBe('OTP_REQUIRED');
    });

    it('applies to accounts pinned to 1.7, and not when 1.8 is asked for', async () => {
      const pinned = await given(t).account({ apiVersion: '1.7' });
      const res = await t.http
        .post(`${pinned.base}/tokens`)
        .set('Authorization', basic(pinned.admin.email, 'wrong-password'))
        .expect(401);
      expect(res.body.errors[0].code).toBe('CREDENTIALS_INVALID');
      const current = await t.http
        .post(`${pinned.base}/tokens`)
        .set('Authorization', basic(pinned.admin.email, 'wrong-password'))
        .set('Keygen-Version', '1.8')
        .expect(401);
      expect(current.body.errors[0].code).toBe('PASSWORD_INVALID');
    });
  });

  describe('only on POST /tokens', () => {
    it('does not accept a password anywhere else', async () => {
      const res = await t.http
        .get(url())
        .set('Authorization', basic(a.admin.email, a.adminPassword))
        .expect(401);
      expect(res.body.errors[0].code).toBe('TOKEN_INVALID');
    });
  });
});

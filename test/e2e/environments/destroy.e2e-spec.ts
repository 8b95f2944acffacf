import { Environment } from '@app/modules/environments/environment.entity';
import { Token } from '@app/modules/tokens/token.entity';
import { User } from '@app/modules/users/user.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';

const GENERIC_403 =
  'You do not have permission to complete the request (ensure the token or license is allowed to access all resources)';
const forbidden = (reason: string) =>
  `You do not have permission to complete the request (${reason})`;

describe('DELETE /v1/accounts/:account/environments/:id', () => {
  let t: TestApp;
  let a: GivenAccount;
  const path = (id: string) => `${a.base}/environments/${id}`;
  const exists = async (id: string) =>
    (await t.ds.getRepository(Environment).countBy({ id })) === 1;

  beforeAll(async () => {
    t = await bootApp();
    a = await given(t).account();
  });
  afterAll(() => t.close());

  describe('204', () => {
    it('deletes the environment with its records and emits environment.deleted', async () => {
      const env = await given(t).environment(a.account);
      const member = await given(t).user(a.account, { environment: env.environment });
      const res = await t.http.delete(path(env.environment.id)).set(a.auth).expect(204);
      expect(res.text).toBe('');
      expect(await exists(env.environment.id)).toBe(false);
      expect(await t.ds.getRepository(User).countBy({ id: member.user.id })).toBe(0);
      expect(await t.ds.getRepository(Token).countBy({ environmentId: env.environment.id })).toBe(
        0,
      );
      expect(t.events.named('environment.deleted', a.id).map((e) => e.resource.id)).toContain(
        env.environment.id,
      );
      // Global records are untouched.
      expect(await t.ds.getRepository(User).countBy({ id: a.admin.id })).toBe(1);
    });

    it('makes the environment unselectable right away', async () => {
      const env = await given(t).environment(a.account);
      // Warm the resolver cache.
      await t.http.get(path(env.environment.id)).set(env.auth).expect(200);
      await t.http.delete(path(env.environment.code)).set(a.auth).expect(204);
      const res = await t.http
        .get(`${a.base}/environments`)
        .set({ ...a.auth, 'Keygen-Environment': env.environment.code })
        .expect(400);
      expect(res.body.errors[0]).toEqual({
        title: 'Bad request',
        detail: 'environment is invalid',
        code: 'ENVIRONMENT_INVALID',
        source: { header: 'Keygen-Environment' },
      });
    });

    it('lets a developer delete one', async () => {
      const env = await given(t).environment(a.account);
      const dev = await given(t).user(a.account, { role: 'developer' });
      await t.http.delete(path(env.environment.id)).set(dev.auth).expect(204);
      expect(await exists(env.environment.id)).toBe(false);
    });
  });

  describe('401', () => {
    it('requires a token', async () => {
      const env = await given(t).environment(a.account);
      await t.http.delete(path(env.environment.id)).expect(401);
      expect(await exists(env.environment.id)).toBe(true);
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
      const res = await t.http.delete(path(env.environment.id)).set(u.auth).expect(403);
      expect(res.body.errors).toEqual([{ title: 'Access denied', detail }]);
      expect(await exists(env.environment.id)).toBe(true);
      expect(t.events.named('environment.deleted', a.id).map((e) => e.resource.id)).not.toContain(
        env.environment.id,
      );
    });

    it('denies an environment deleting itself', async () => {
      const env = await given(t).environment(a.account);
      const res = await t.http.delete(path(env.environment.id)).set(env.auth).expect(403);
      expect(res.body.errors[0].detail).toBe(
        forbidden('environment lacks permission to perform action'),
      );
      expect(await exists(env.environment.id)).toBe(true);
    });

    it('denies deletes made from inside an environment', async () => {
      const env = await given(t).environment(a.account);
      const admin = await given(t).user(a.account, { role: 'admin', environment: env.environment });
      const res = await t.http
        .delete(path(env.environment.id))
        .set({ ...admin.auth, 'Keygen-Environment': env.environment.code })
        .expect(403);
      expect(res.body.errors[0].detail).toBe(
        forbidden('record is not compatible with the current environment'),
      );
      expect(await exists(env.environment.id)).toBe(true);
    });
  });

  describe('404', () => {
    it('hides environments from users and from other environments', async () => {
      const env = await given(t).environment(a.account);
      const other = await given(t).environment(a.account);
      const u = await given(t).user(a.account);
      await t.http.delete(path(env.environment.id)).set(u.auth).expect(404);
      const res = await t.http.delete(path(env.environment.id)).set(other.auth).expect(404);
      expect(res.body.errors[0].detail).toBe(
        `The requested environment '${env.environment.id}' was not found`,
      );
      expect(await exists(env.environment.id)).toBe(true);
    });

    it('hides environments from a user inside an isolated environment', async () => {
      const env = await given(t).environment(a.account);
      const u = await given(t).user(a.account, { environment: env.environment });
      await t.http
        .delete(path(env.environment.id))
        .set({ ...u.auth, 'Keygen-Environment': env.environment.code })
        .expect(404);
    });
  });
});

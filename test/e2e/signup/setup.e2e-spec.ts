import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { verifyPassword } from '@libs/crypto';
import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import { Account } from '@app/modules/accounts/account.entity';
import { AccountsService } from '@app/modules/accounts/accounts.service';
import { SetupService } from '@app/modules/signup/setup.service';
import { SignupService } from '@app/modules/signup/signup.service';
import { User } from '@app/modules/users/user.entity';
import { bootApp, type TestApp } from '../../support/app';

/** SetupService.ensureSingleplayerAccount with nothing configured but the account id. */
describe('singleplayer first boot (generated credentials)', () => {
  const accountId = randomUUID();
  let t: TestApp;

  beforeAll(async () => {
    t = await bootApp({ KEYGEN_MODE: 'singleplayer', KEYGEN_ACCOUNT_ID: accountId, PORT: '4123' });
  });
  afterAll(() => t.close());

  async function run(service = t.app.get(SetupService)) {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      const result = await service.ensureSingleplayerAccount();
      return { result, logs: log.mock.calls.map((c) => String(c[0])) };
    } finally {
      log.mockRestore();
    }
  }

  it('creates the account and an admin once, then does nothing on later boots', async () => {
    const first = await run();
    const password = first.result.generatedPassword!;
    expect(first.result).toMatchObject({
      created: true,
      accountId,
      adminEmail: 'admin@keyward.local',
    });
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);

    const account = await t.ds.getRepository(Account).findOneByOrFail({ id: accountId });
    expect(account.slug).toMatch(/^keyward(-[a-z]+-[a-z]+-\d{4})?$/);
    const admins = await t.ds.getRepository(User).findBy({ accountId });
    expect(admins).toHaveLength(1);
    expect(admins[0]).toMatchObject({
      email: 'admin@keyward.local',
      role: 'admin',
      environmentId: null,
    });
    expect([...admins[0].permissions].sort()).toEqual([...DEFAULT_PERMISSIONS.admin].sort());
    expect(await verifyPassword(password, admins[0].passwordDigest!)).toBe(true);

    // One block with everything needed to get going.
    const blocks = first.logs.filter((l) => l.includes(accountId));
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toContain('admin@keyward.local');
    expect(blocks[0]).toContain(password);
    expect(blocks[0]).toContain(
      `curl -s -X POST http://localhost:4123/v1/accounts/${accountId}/tokens -H 'Accept: application/vnd.api+json' -u 'admin@keyward.local:${password}'`,
    );

    const second = await run();
    expect(second.result).toEqual({ created: false, accountId });
    expect(second.logs.join('\n')).not.toContain(password);
    expect(await t.ds.getRepository(Account).countBy({ id: accountId })).toBe(1);
    expect(await t.ds.getRepository(User).countBy({ accountId })).toBe(1);
  });

  it('serves the created account', async () => {
    const res = await t.http.get(`/v1/accounts/${accountId}`).expect(401);
    expect(res.headers['keygen-account']).toBe(accountId);
  });

  describe('with KEYGEN_ACCOUNT_SLUG', () => {
    const service = (overrides: Partial<TestApp['config']>) =>
      new SetupService(
        { ...t.config, ...overrides },
        t.app.get(AccountsService),
        t.app.get(SignupService),
      );

    it('uses the configured slug', async () => {
      const id = randomUUID();
      const slug = `acme-${id.slice(0, 8)}`;
      const { result } = await run(service({ accountId: id, accountSlug: slug }));
      expect(result.created).toBe(true);
      expect((await t.ds.getRepository(Account).findOneByOrFail({ id })).slug).toBe(slug);
    });

    it('refuses an invalid slug and writes nothing', async () => {
      const id = randomUUID();
      await expect(run(service({ accountId: id, accountSlug: 'Not A Slug' }))).rejects.toThrow(
        /KEYGEN_ACCOUNT_SLUG/,
      );
      expect(await t.ds.getRepository(Account).countBy({ id })).toBe(0);
    });

    it('refuses an invalid admin e-mail', async () => {
      const id = randomUUID();
      await expect(run(service({ accountId: id, adminEmail: 'not-an-email' }))).rejects.toThrow(
        /KEYGEN_ADMIN_EMAIL/,
      );
      expect(await t.ds.getRepository(Account).countBy({ id })).toBe(0);
    });
  });
});

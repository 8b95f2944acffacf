import { Machine } from '@app/modules/machines/machine.entity';
import type { Policy } from '@app/modules/policies/policy.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, type GivenAccount } from '../../support/factories';
import { activationDoc } from './support';

/**
 * License validation codes that depend on machines, components and processes (spec 03
 * §4), end to end: machines come from the activation and heartbeat routes.
 */
describe('validation with machines', () => {
  let t: TestApp;
  let g: ReturnType<typeof given>;
  let a: GivenAccount;

  async function licenseOn(policy: Partial<Policy>) {
    const p = await g.policy(a.account, { authenticationStrategy: 'MIXED', ...policy });
    return (await g.license(a.account, { policy: p })).license;
  }
  const activate = async (
    license: { id: string },
    attributes: Record<string, unknown> = {},
    relationships: Record<string, unknown> = {},
  ) =>
    (
      await t.http
        .post(`${a.base}/machines`)
        .set(a.auth)
        .send(activationDoc(license, attributes, relationships))
        .expect(201)
    ).body.data as { id: string; attributes: { fingerprint: string } };
  const validate = async (license: { id: string }, scope?: Record<string, unknown>) => {
    const res = await t.http
      .post(`${a.base}/licenses/${license.id}/actions/validate`)
      .set(a.auth)
      .send(scope ? { meta: { scope } } : {})
      .expect(200);
    return res.body.meta as { valid: boolean; code: string; detail: string };
  };
  const ping = (id: string) =>
    t.http.post(`${a.base}/machines/${id}/actions/ping`).set(a.auth).expect(200);

  beforeAll(async () => {
    t = await bootApp();
    g = given(t);
    a = await g.account();
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.reset());

  it('NO_MACHINE / NO_MACHINES until a machine is activated, then VALID', async () => {
    const nodeLocked = await licenseOn({ floating: false, maxMachines: 1 });
    expect(await validate(nodeLocked, { fingerprint: 'fp-1' })).toMatchObject({
      valid: false,
      code: 'NO_MACHINE',
    });
    const floating = await licenseOn({ floating: true, maxMachines: 2 });
    expect(await validate(floating, { fingerprint: 'fp-1' })).toMatchObject({
      valid: false,
      code: 'NO_MACHINES',
    });
    await activate(nodeLocked, { fingerprint: 'fp-1' });
    expect(await validate(nodeLocked, { fingerprint: 'fp-1' })).toMatchObject({
      valid: true,
      code: 'VALID',
    });
    expect(await validate(nodeLocked, { fingerprint: 'fp-2' })).toMatchObject({
      valid: false,
      code: 'FINGERPRINT_SCOPE_MISMATCH',
    });
    expect(await validate(nodeLocked, { fingerprint: 'fp-1', fingerprints: [] })).toMatchObject({
      code: 'VALID',
    });
  });

  it('FINGERPRINT_SCOPE_EMPTY, MACHINE_SCOPE_MISMATCH and machineMatchingStrategy', async () => {
    const lic = await licenseOn({
      floating: true,
      maxMachines: 5,
      machineMatchingStrategy: 'MATCH_ALL',
    });
    const m1 = await activate(lic, { fingerprint: 'a' });
    await activate(lic, { fingerprint: 'b' });
    expect(await validate(lic, { fingerprints: [] })).toMatchObject({
      code: 'FINGERPRINT_SCOPE_EMPTY',
    });
    expect(await validate(lic, { fingerprints: ['a', 'b'] })).toMatchObject({
      valid: true,
      code: 'VALID',
    });
    expect(await validate(lic, { fingerprints: ['a', 'c'] })).toMatchObject({
      code: 'FINGERPRINT_SCOPE_MISMATCH',
    });
    expect(await validate(lic, { machine: m1.id })).toMatchObject({ valid: true, code: 'VALID' });
    const other = await licenseOn({ floating: true });
    const foreign = await activate(other, { fingerprint: 'x' });
    expect(await validate(lic, { machine: foreign.id })).toMatchObject({
      code: 'MACHINE_SCOPE_MISMATCH',
    });
  });

  it('HEARTBEAT_NOT_STARTED, then VALID after a ping, then HEARTBEAT_DEAD', async () => {
    t.clock.freeze();
    const lic = await licenseOn({
      floating: true,
      requireHeartbeat: true,
      heartbeatDuration: 60,
      heartbeatBasis: 'FROM_FIRST_PING',
    });
    const m = await activate(lic, { fingerprint: 'hb' });
    expect(await validate(lic, { fingerprint: 'hb' })).toMatchObject({
      valid: false,
      code: 'HEARTBEAT_NOT_STARTED',
    });
    await ping(m.id);
    expect(await validate(lic, { fingerprint: 'hb' })).toMatchObject({
      valid: true,
      code: 'VALID',
    });
    t.clock.advance(61_000);
    expect(await validate(lic, { fingerprint: 'hb' })).toMatchObject({
      valid: false,
      code: 'HEARTBEAT_DEAD',
    });
    expect(await validate(lic, { machine: m.id })).toMatchObject({
      valid: false,
      code: 'HEARTBEAT_DEAD',
    });
  });

  it('TOO_MANY_MACHINES, TOO_MANY_CORES and TOO_MUCH_MEMORY follow the overage (strict)', async () => {
    const lic = await licenseOn({
      strict: true,
      floating: true,
      maxMachines: 1,
      overageStrategy: 'ALLOW_2X_OVERAGE',
    });
    await activate(lic);
    await activate(lic);
    expect(await validate(lic)).toMatchObject({ valid: true, code: 'TOO_MANY_MACHINES' });
    const cores = await licenseOn({
      strict: true,
      floating: true,
      maxCores: 4,
      overageStrategy: 'ALLOW_2X_OVERAGE',
    });
    await activate(cores, { cores: 6 });
    expect(await validate(cores)).toMatchObject({ valid: true, code: 'TOO_MANY_CORES' });
    const memory = await licenseOn({
      strict: true,
      floating: true,
      maxMemory: 1024,
      overageStrategy: 'ALLOW_2X_OVERAGE',
    });
    await activate(memory, { memory: 2048 });
    expect(await validate(memory)).toMatchObject({ valid: true, code: 'TOO_MUCH_MEMORY' });
  });

  it('COMPONENTS_SCOPE_* against inline components', async () => {
    const lic = await licenseOn({ floating: true, componentMatchingStrategy: 'MATCH_TWO' });
    const comp = (fingerprint: string) => ({
      type: 'components',
      attributes: { fingerprint, name: fingerprint },
    });
    await activate(
      lic,
      { fingerprint: 'host' },
      { components: { data: [comp('cpu'), comp('gpu'), comp('ram')] } },
    );
    expect(await validate(lic, { fingerprints: ['host'], components: ['cpu'] })).toMatchObject({
      code: 'FINGERPRINT_SCOPE_REQUIRED',
    });
    expect(await validate(lic, { fingerprint: 'host', components: [] })).toMatchObject({
      code: 'COMPONENTS_SCOPE_EMPTY',
    });
    expect(await validate(lic, { fingerprint: 'host', components: ['cpu', 'nic'] })).toMatchObject({
      code: 'COMPONENTS_SCOPE_MISMATCH',
    });
    expect(await validate(lic, { fingerprint: 'host', components: ['cpu', 'gpu'] })).toMatchObject({
      valid: true,
      code: 'VALID',
    });
  });

  it('TOO_MANY_PROCESSES per machine (strict)', async () => {
    const lic = await licenseOn({
      strict: true,
      floating: true,
      maxProcesses: 1,
      overageStrategy: 'ALLOW_2X_OVERAGE',
    });
    const m = await activate(lic, { fingerprint: 'proc-host' });
    const machine = await t.ds.getRepository(Machine).findOneByOrFail({ id: m.id });
    for (const pid of ['1', '2']) {
      await g.machineProcess(machine, { pid });
    }
    expect(await validate(lic, { fingerprint: 'proc-host' })).toMatchObject({
      valid: true,
      code: 'TOO_MANY_PROCESSES',
    });
  });

  it('validates with the license key after activating with it', async () => {
    const p = await g.policy(a.account, { floating: true, authenticationStrategy: 'LICENSE' });
    const lic = await g.license(a.account, { policy: p });
    await t.http
      .post(`${a.base}/machines`)
      .set(lic.keyAuth)
      .send(activationDoc(lic.license, { fingerprint: 'key-fp' }))
      .expect(201);
    const res = await t.http
      .post(`${a.base}/licenses/actions/validate-key`)
      .send({ meta: { key: lic.key, scope: { fingerprint: 'key-fp' } } })
      .expect(200);
    expect(res.body.meta).toMatchObject({ valid: true, code: 'VALID' });
  });
});

import type { Bearer } from '@app/common/auth/bearer';
import { MovableClock } from '@app/common/clock/clock';
import { ApiError } from '@app/common/errors/api-error';
import type { RequestContext } from '@app/common/context/request-context';
import { DomainEvents } from '@app/common/events/domain-events';
import type { Caller } from '@app/modules/tokens/token.policy';
import { MachineHeartbeatService } from './machine-heartbeat.service';
import type { MachineHeartbeatsRepository } from './machine-heartbeats.repository';
import type { MachineView } from './machine.view';
import type { MachinesService } from './machines.service';

const admin: Bearer = {
  type: 'users',
  id: '00000000-0000-4000-8000-000000000001',
  role: 'admin',
  permissions: ['*'],
  environmentId: null,
  record: {},
};
const caller: Caller = {
  bearer: admin,
  tokenPermissions: null,
  tokenEnvironmentId: null,
  scope: { accountId: 'a', environmentId: null, shared: false },
};

function service(pingWrites: boolean, oneStatement: 'applies' | 'declines' = 'declines') {
  const calls = { find: 0, expected: [] as unknown[] };
  const clock = new MovableClock();
  // Frozen: the ping stores the clock's now, which the assertions read again.
  clock.freeze();
  const view = {
    id: 'm1',
    environmentId: null,
    licenseId: 'l1',
    productId: 'p1',
    ownerId: null,
    createdAt: clock.now(),
    lastHeartbeatAt: clock.now(),
    lastDeathEventSentAt: null,
    policy: {
      requireHeartbeat: true,
      heartbeatDuration: 600,
      heartbeatCullStrategy: 'DEACTIVATE_DEAD',
      heartbeatResurrectionStrategy: 'NO_REVIVE',
      heartbeatBasis: 'FROM_FIRST_PING',
    },
  } as unknown as MachineView;
  const machines = {
    pingIfUnchanged: (_ctx: unknown, _id: string, expected: unknown) => {
      calls.expected.push(expected);
      return Promise.resolve(oneStatement === 'applies' ? view : null);
    },
    find: () => {
      calls.find++;
      return Promise.resolve({
        view,
        caller,
        facts: {
          id: 'm1',
          environmentId: null,
          licenseId: 'l1',
          productId: 'p1',
          ownerId: null,
          licenseOwnerId: null,
          licenseProtected: false,
          bearerIsLicensee: false,
        },
      });
    },
  } as unknown as MachinesService;
  const heartbeats = {
    ping: () => Promise.resolve(pingWrites),
  } as unknown as MachineHeartbeatsRepository;
  const events = new DomainEvents();
  const emitted: string[] = [];
  events.subscribe((e) => {
    emitted.push(e.name);
  });
  const ctx = { clock, scope: caller.scope, bearer: admin } as unknown as RequestContext;
  return { svc: new MachineHeartbeatService(machines, heartbeats, events), ctx, emitted, calls };
}

describe('MachineHeartbeatService.ping', () => {
  it('answers 404 and emits nothing when the machine was culled between lookup and write', async () => {
    const { svc, ctx, emitted } = service(false);
    const err = await svc.ping(ctx, 'm1').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(404);
    expect(emitted).toEqual([]);
  });

  it('stores the heartbeat and emits machine.heartbeat.ping when the write lands', async () => {
    const { svc, ctx, emitted } = service(true);
    const alive = await svc.ping(ctx, 'm1');
    expect(alive.lastHeartbeatAt).toEqual(ctx.clock.now());
    expect(emitted).toEqual(['machine.heartbeat.ping']);
  });

  it('tries the one-statement ping with the facts of the last read, reading again only when it declines', async () => {
    const fast = service(true, 'applies');
    await fast.svc.ping(fast.ctx, 'm1');
    expect(fast.calls).toMatchObject({ find: 1, expected: [] });
    await fast.svc.ping(fast.ctx, 'm1');
    expect(fast.calls.find).toBe(1);
    expect(fast.calls.expected).toEqual([
      expect.objectContaining({ licenseId: 'l1', ownerId: null }),
    ]);
    expect(fast.emitted).toEqual(['machine.heartbeat.ping', 'machine.heartbeat.ping']);

    const slow = service(true, 'declines');
    await slow.svc.ping(slow.ctx, 'm1');
    await slow.svc.ping(slow.ctx, 'm1');
    expect(slow.calls.find).toBe(2);
    expect(slow.calls.expected).toHaveLength(1);
  });
});

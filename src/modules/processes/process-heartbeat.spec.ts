import {
  processInterval,
  processNextHeartbeat,
  processResurrectionDeadline,
  processResurrectionPeriodPassed,
  processStatus,
  type ProcessHeartbeatPolicy,
} from './process-heartbeat';

const at = (iso: string) => new Date(iso);
const policy = (over: Partial<ProcessHeartbeatPolicy> = {}): ProcessHeartbeatPolicy => ({
  heartbeatDuration: null,
  heartbeatCullStrategy: 'DEACTIVATE_DEAD',
  heartbeatResurrectionStrategy: 'NO_REVIVE',
  ...over,
});

describe('process heartbeats (spec 03 §3.4)', () => {
  const last = { lastHeartbeatAt: at('2022-10-16T14:45:48.000Z') };

  it('uses the policy duration, else 600 s', () => {
    expect(processInterval(policy())).toBe(600);
    expect(processInterval(policy({ heartbeatDuration: 300 }))).toBe(300);
    expect(processNextHeartbeat(last, policy()).toISOString()).toBe('2022-10-16T14:55:48.000Z');
  });

  it('is ALIVE up to and including the next heartbeat, DEAD after', () => {
    const p = policy({ heartbeatDuration: 300 });
    expect(processStatus(last, p, at('2022-10-16T14:50:48.000Z'))).toBe('ALIVE');
    expect(processStatus(last, p, at('2022-10-16T14:50:48.001Z'))).toBe('DEAD');
  });

  it('never passes the period under ALWAYS_REVIVE; always without a revive strategy', () => {
    const now = at('2030-01-01T00:00:00.000Z');
    expect(
      processResurrectionPeriodPassed(
        last,
        policy({ heartbeatResurrectionStrategy: 'ALWAYS_REVIVE' }),
        now,
      ),
    ).toBe(false);
    expect(processResurrectionPeriodPassed(last, policy(), at('2022-10-16T14:56:00.000Z'))).toBe(
      true,
    );
    expect(
      processResurrectionPeriodPassed(
        last,
        policy({ heartbeatResurrectionStrategy: null }),
        at('2022-10-16T14:56:00.000Z'),
      ),
    ).toBe(true);
  });

  it('passes the period once now > next heartbeat + W', () => {
    const p = policy({ heartbeatDuration: 300, heartbeatResurrectionStrategy: '5_MINUTE_REVIVE' });
    expect(processResurrectionDeadline(last, p)?.toISOString()).toBe('2022-10-16T14:55:48.000Z');
    expect(processResurrectionPeriodPassed(last, p, at('2022-10-16T14:55:48.000Z'))).toBe(false);
    expect(processResurrectionPeriodPassed(last, p, at('2022-10-16T14:55:48.001Z'))).toBe(true);
    expect(processResurrectionDeadline(last, policy())).toBeNull();
    expect(
      processResurrectionDeadline(last, policy({ heartbeatResurrectionStrategy: 'ALWAYS_REVIVE' })),
    ).toBeNull();
  });
});

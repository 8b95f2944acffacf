import {
  heartbeatStatus,
  nextHeartbeat,
  requiresHeartbeat,
  resurrectionDeadline,
  resurrectionPeriodPassed,
  type HeartbeatPolicy,
} from './machine-heartbeat';

const T0 = new Date('2024-01-01T00:00:00.000Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const policy = (p: Partial<HeartbeatPolicy> = {}): HeartbeatPolicy => ({
  requireHeartbeat: false,
  heartbeatDuration: 60,
  heartbeatCullStrategy: 'DEACTIVATE_DEAD',
  heartbeatResurrectionStrategy: 'NO_REVIVE',
  ...p,
});

describe('heartbeatStatus (spec 03 §1.8.1)', () => {
  it.each([
    ['never pinged, not required', null, policy(), 1000, 'NOT_STARTED'],
    [
      'never pinged, required, within D',
      null,
      policy({ requireHeartbeat: true }),
      60,
      'NOT_STARTED',
    ],
    ['never pinged, required, after D', null, policy({ requireHeartbeat: true }), 61, 'DEAD'],
    ['pinged, at D', 0, policy(), 60, 'ALIVE'],
    ['pinged, after D', 0, policy(), 61, 'DEAD'],
    ['default D is 600', 0, policy({ heartbeatDuration: null }), 600, 'ALIVE'],
  ])('%s', (_, pinged, p, now, status) => {
    const m = { createdAt: T0, lastHeartbeatAt: pinged === null ? null : at(pinged) };
    expect(heartbeatStatus(m, p, at(now))).toBe(status);
  });

  it('opts a pinged machine into monitoring', () => {
    expect(requiresHeartbeat({ createdAt: T0, lastHeartbeatAt: T0 }, policy())).toBe(true);
    expect(nextHeartbeat({ createdAt: T0, lastHeartbeatAt: T0 }, policy())).toEqual(at(60));
  });
});

describe('resurrection windows', () => {
  const m = { createdAt: T0, lastHeartbeatAt: T0 };
  it.each([
    ['NO_REVIVE', 61, true],
    ['1_MINUTE_REVIVE', 120, false],
    ['1_MINUTE_REVIVE', 121, true],
    ['15_MINUTE_REVIVE', 960, false],
    ['ALWAYS_REVIVE', 1e9, false],
  ])('%s at +%is passed=%s', (strategy, now, passed) => {
    expect(
      resurrectionPeriodPassed(m, policy({ heartbeatResurrectionStrategy: strategy }), at(now)),
    ).toBe(passed);
  });

  it('closes the window at lastHeartbeat + D + W', () => {
    expect(
      resurrectionDeadline(m, policy({ heartbeatResurrectionStrategy: '2_MINUTE_REVIVE' })),
    ).toEqual(at(180));
    expect(
      resurrectionDeadline(m, policy({ heartbeatResurrectionStrategy: 'ALWAYS_REVIVE' })),
    ).toBeNull();
  });
});

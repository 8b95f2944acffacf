import { environmentCompatible } from '@app/modules/machines/machine.rules';
import { pidErrors, processLeasing, processLimit, processLimitErrors } from './process.rules';

describe('process limits (spec 03 §3.3)', () => {
  it('maps leasing strategies, PER_MACHINE by default', () => {
    expect(processLeasing(null)).toBe('machine');
    expect(processLeasing('PER_MACHINE')).toBe('machine');
    expect(processLeasing('PER_LICENSE')).toBe('license');
    expect(processLeasing('PER_USER')).toBe('user');
    expect(processLeasing('PER_GALAXY')).toBeNull();
  });

  it('skips without a limit or under ALWAYS_ALLOW_OVERAGE', () => {
    expect(processLimit('PER_MACHINE', 'NO_OVERAGE', null, null)).toBeNull();
    expect(processLimit('PER_MACHINE', 'ALWAYS_ALLOW_OVERAGE', null, 3)).toBeNull();
  });

  it('takes the machine override for PER_MACHINE (0 = unset), the license value otherwise', () => {
    expect(processLimit(null, null, 2, 5)).toEqual({ bucket: 'machine', max: 2 });
    expect(processLimit(null, null, 0, 5)).toEqual({ bucket: 'machine', max: 5 });
    expect(processLimit('PER_LICENSE', null, 2, 5)).toEqual({ bucket: 'license', max: 5 });
    expect(processLimit('PER_USER', null, null, 4)).toEqual({ bucket: 'user', max: 4 });
  });

  it.each([
    ['NO_OVERAGE', 5, 4, true],
    ['NO_OVERAGE', 5, 5, false],
    ['ALLOW_1_25X_OVERAGE', 20, 24, true],
    ['ALLOW_1_25X_OVERAGE', 20, 25, false],
    ['ALLOW_1_5X_OVERAGE', 6, 8, true],
    ['ALLOW_1_5X_OVERAGE', 6, 9, false],
    ['ALLOW_2X_OVERAGE', 5, 9, true],
    ['ALLOW_2X_OVERAGE', 5, 10, false],
  ])('%s with max %i and %i existing → allowed %s', (overage, max, count, ok) => {
    const errors = processLimitErrors({ bucket: 'machine', max }, overage, count);
    expect(errors.length === 0).toBe(ok);
    if (!ok) {
      expect(errors[0]).toMatchObject({
        code: 'MACHINE_PROCESS_LIMIT_EXCEEDED',
        detail: `process count has exceeded maximum allowed for machine (${max})`,
        source: { pointer: '/data' },
      });
    }
  });

  it('rejects reserved and long pids', () => {
    expect(pidErrors('action').map((e) => e.code)).toEqual(['PID_NOT_ALLOWED']);
    expect(pidErrors('x'.repeat(4097)).map((e) => e.code)).toEqual(['PID_TOO_LONG']);
    expect(pidErrors('1234')).toEqual([]);
  });

  it('checks the environment against the machine’s', () => {
    const none = { environment: null };
    const shared = { environment: { id: 'e1', isolationStrategy: 'SHARED' } };
    const isolated = { environment: { id: 'e1', isolationStrategy: 'ISOLATED' } };
    expect(environmentCompatible(none, null, null)).toBe(true);
    expect(environmentCompatible(none, null, 'e1')).toBe(false);
    expect(environmentCompatible(isolated, 'e1', 'e1')).toBe(true);
    expect(environmentCompatible(isolated, 'e1', null)).toBe(false);
    expect(environmentCompatible(shared, 'e1', null)).toBe(true);
    expect(environmentCompatible(shared, 'e1', 'e2')).toBe(false);
  });
});

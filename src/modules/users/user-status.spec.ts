import { ACTIVITY_WINDOW_MS, userStatus } from './user-status';

describe('userStatus', () => {
  const now = new Date('2024-06-01T00:00:00.000Z');
  const ago = (ms: number): Date => new Date(now.getTime() - ms);

  it('is ACTIVE within 90 days of creation', () => {
    expect(userStatus({ bannedAt: null, createdAt: ago(ACTIVITY_WINDOW_MS) }, now)).toBe('ACTIVE');
  });

  it('is INACTIVE afterwards', () => {
    expect(userStatus({ bannedAt: null, createdAt: ago(ACTIVITY_WINDOW_MS + 1) }, now)).toBe(
      'INACTIVE',
    );
  });

  it('is ACTIVE afterwards while holding a recently active license', () => {
    expect(
      userStatus(
        { bannedAt: null, createdAt: ago(ACTIVITY_WINDOW_MS + 1), hasActiveLicense: true },
        now,
      ),
    ).toBe('ACTIVE');
  });

  it('is BANNED whenever banned', () => {
    expect(userStatus({ bannedAt: ago(1), createdAt: ago(1) }, now)).toBe('BANNED');
  });
});

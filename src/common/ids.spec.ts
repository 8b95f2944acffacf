import { isUuidLike, normalizeUuid, uuidv7 } from './ids';

describe('uuidv7', () => {
  it('is a version 7, RFC 4122 variant UUID carrying its millisecond timestamp', () => {
    const id = uuidv7(Date.UTC(2026, 10, 22));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2026, 10, 22));
  });

  it('never repeats across pooled random blocks and sorts by time', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => uuidv7(1_000_000 + i));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('uuid aliases', () => {
  it('accepts dashless and upper-case UUIDs and normalises them', () => {
    expect(isUuidLike('0B1E9C3A4D5E4F60A1B2C3D4E5F60718')).toBe(true);
    expect(normalizeUuid('0B1E9C3A4D5E4F60A1B2C3D4E5F60718')).toBe('0b1e9c3a-4d5e-4f60-a1b2-c3d4e5f60718');
    expect(isUuidLike('not-a-uuid')).toBe(false);
  });
});

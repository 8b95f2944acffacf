import { diffOf } from './diff';

describe('diffOf', () => {
  it('lists only the changed attributes as [before, after]', () => {
    const t = new Date('2024-01-01T00:00:00Z');
    expect(
      diffOf(
        { id: '1', name: 'a', expiry: t, metadata: { x: 1 }, updatedAt: t, max: null },
        {
          id: '1',
          name: 'b',
          expiry: new Date(t),
          metadata: { x: 2 },
          updatedAt: t,
          max: null,
        },
      ),
    ).toEqual({ name: ['a', 'b'], metadata: [{ x: 1 }, { x: 2 }] });
  });

  it('never carries password digests', () => {
    expect(diffOf({ passwordDigest: 'x' }, { passwordDigest: 'y' })).toEqual({});
  });
});

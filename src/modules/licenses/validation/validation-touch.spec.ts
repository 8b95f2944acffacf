import { ValidationTouchWriter } from './validation-touch';
import type { ValidationReadRepository } from './validation-read.repository';

type Batch = Parameters<ValidationReadRepository['touch']>[0];

function writer(touch: (batch: Batch) => Promise<number>) {
  const batches: Batch[] = [];
  const repo = {
    touch: (batch: Batch) => {
      batches.push(batch);
      return touch(batch);
    },
  } as unknown as ValidationReadRepository;
  return { w: new ValidationTouchWriter(repo), batches };
}

const at = (s: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, s));

describe('ValidationTouchWriter', () => {
  it('coalesces touches per license: latest time, last checksum/version kept', async () => {
    const { w, batches } = writer(() => Promise.resolve(1));
    w.record('a', {
      lastValidatedAt: at(2),
      lastValidatedChecksum: 'c1',
      lastValidatedVersion: '1.0.0',
    });
    w.record('a', { lastValidatedAt: at(1) });
    w.record('b', { lastValidatedAt: at(3), lastValidatedVersion: '2.0.0' });
    await w.flush();
    expect(batches).toEqual([
      [
        { licenseId: 'a', at: at(2), checksum: 'c1', version: '1.0.0' },
        { licenseId: 'b', at: at(3), checksum: null, version: '2.0.0' },
      ],
    ]);
    await w.flush();
    expect(batches).toHaveLength(1);
  });

  it('drops a failed write and keeps going', async () => {
    const { w, batches } = writer(() => Promise.reject(new Error('lock timeout')));
    w.record('a', { lastValidatedAt: at(1) });
    await expect(w.flush()).resolves.toBeUndefined();
    w.record('b', { lastValidatedAt: at(2) });
    await w.flush();
    expect(batches.map((b) => b.map((t) => t.licenseId))).toEqual([['a'], ['b']]);
  });

  it('flushes on its own after FLUSH_MS', async () => {
    jest.useFakeTimers();
    try {
      const { w, batches } = writer(() => Promise.resolve(1));
      w.record('a', { lastValidatedAt: at(1) });
      expect(batches).toHaveLength(0);
      await jest.advanceTimersByTimeAsync(ValidationTouchWriter.FLUSH_MS);
      expect(batches).toHaveLength(1);
    } finally {
      jest.useRealTimers();
    }
  });
});

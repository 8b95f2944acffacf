import { LogBuffer } from './log-buffer';

describe('LogBuffer', () => {
  const make = (opts: Partial<{ maxItems: number; maxBytes: number; maxDelayMs: number }> = {}) => {
    const batches: number[][] = [];
    const errors: unknown[] = [];
    const buffer = new LogBuffer<number>({
      maxItems: opts.maxItems ?? 3,
      maxBytes: opts.maxBytes ?? 1000,
      maxDelayMs: opts.maxDelayMs ?? 60_000,
      deliver: (b) => {
        if (b.includes(-1)) {
          return Promise.reject(new Error('boom'));
        }
        batches.push(b);
        return Promise.resolve();
      },
      onError: (e) => errors.push(e),
    });
    return { buffer, batches, errors };
  };

  it('delivers a full batch on the next tick, not inside push', async () => {
    const { buffer, batches } = make();
    buffer.push(1);
    buffer.push(2);
    buffer.push(3);
    expect(batches).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1, 2, 3]]);
    buffer.stop();
  });

  it('delivers when the byte budget is reached', async () => {
    const { buffer, batches } = make({ maxBytes: 100 });
    buffer.push(1, 60);
    buffer.push(2, 60);
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1, 2]]);
    buffer.stop();
  });

  it('delivers a partial batch after the delay', async () => {
    jest.useFakeTimers();
    try {
      const { buffer, batches } = make({ maxDelayMs: 250 });
      buffer.push(1);
      jest.advanceTimersByTime(249);
      expect(batches).toEqual([]);
      jest.advanceTimersByTime(1);
      await Promise.resolve();
      expect(batches).toEqual([[1]]);
      buffer.stop();
    } finally {
      jest.useRealTimers();
    }
  });

  it('flush() delivers the rest and reports failures without throwing', async () => {
    const { buffer, batches, errors } = make();
    buffer.push(-1);
    await buffer.flush();
    buffer.push(4);
    await buffer.flush();
    expect(batches).toEqual([[4]]);
    expect(errors).toHaveLength(1);
    expect(buffer.size).toBe(0);
  });
});

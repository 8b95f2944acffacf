import { CacheBus } from '@app/common/cache/cache-bus';
import { WebhookActivityCache } from './webhook-activity.cache';
import { derivedEventId, idempotencyToken } from './webhook-fanout.service';

describe('WebhookActivityCache', () => {
  it('skips only accounts known to have no active endpoint', async () => {
    const cache = new WebhookActivityCache(new CacheBus(null));
    expect(cache.knownIdle('a')).toBe(false);
    await cache.fill('a', async () => false);
    expect(cache.knownIdle('a')).toBe(true);
    cache.invalidate('a');
    expect(cache.knownIdle('a')).toBe(false);
    await cache.fill('b', async () => true);
    expect(cache.known('b')).toBe(true);
    expect(cache.knownIdle('b')).toBe(false);
  });

  it('forgets a lookup that raced an endpoint write, and runs one lookup per burst', async () => {
    const cache = new WebhookActivityCache(new CacheBus(null));
    let release: (v: boolean) => void = () => undefined;
    let lookups = 0;
    const lookup = () => {
      lookups += 1;
      return new Promise<boolean>((resolve) => (release = resolve));
    };
    const first = cache.fill('a', lookup);
    await cache.fill('a', lookup);
    cache.invalidate('a');
    release(false);
    await first;
    expect(lookups).toBe(1);
    expect(cache.known('a')).toBe(false);
  });
});

describe('fan-out ids', () => {
  it('derives one stable v4-shaped id per broadcast and endpoint', () => {
    const id = derivedEventId('b1', 'e1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(derivedEventId('b1', 'e1')).toBe(id);
    expect(derivedEventId('b1', 'e2')).not.toBe(id);
  });

  it('makes 64-character idempotency tokens ending in v3', () => {
    const token = idempotencyToken();
    expect(token).toMatch(/^[0-9a-f]{62}v3$/);
    expect(idempotencyToken()).not.toBe(token);
  });
});

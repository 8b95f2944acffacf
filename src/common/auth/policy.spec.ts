import { ForbiddenError } from '../errors/api-error';
import { NO_REASON, chain, deny, enforce, when } from './policy';

describe('policy toolkit', () => {
  it('returns the first denial in order and allows when every step allows', () => {
    const calls: string[] = [];
    const step = (name: string, d: true | { reason: string }) => () => {
      calls.push(name);
      return d;
    };
    expect(
      chain(step('a', true), step('b', deny('b lacks permission')), step('c', deny('c'))),
    ).toEqual({
      reason: 'b lacks permission',
    });
    expect(calls).toEqual(['a', 'b']);
    expect(chain(step('x', true), step('y', true))).toBe(true);
  });

  it('denies with the default reason', () => {
    expect(when(false)).toEqual({ reason: NO_REASON });
    expect(when(true)).toBe(true);
  });

  it('throws a 403 with the reason appended to the default detail', () => {
    expect(() => enforce(deny('user is banned'))).toThrow(ForbiddenError);
    try {
      enforce(deny('user is banned'));
    } catch (e) {
      expect((e as ForbiddenError).items[0].detail).toBe(
        'You do not have permission to complete the request (user is banned)',
      );
    }
    expect(() => enforce(true)).not.toThrow();
  });
});

import { ForbiddenError } from '../errors/api-error';
import type { Bearer } from './bearer';
import {
  NO_REASON,
  checkPermissions,
  chain,
  deny,
  enforce,
  environmentView,
  fitsEnvironment,
  when,
} from './policy';

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

describe('checkPermissions (spec 01 §2.4)', () => {
  const bearer = (role: Bearer['role'], permissions: string[]): Bearer => ({
    type: 'users',
    id: 'u',
    role,
    permissions,
    environmentId: null,
    record: null,
  });

  it('caps a wildcard by the role', () => {
    expect(checkPermissions(bearer('user', ['*']), null, ['license.read'])).toBe(true);
    expect(checkPermissions(bearer('user', ['*']), null, ['admin.read'])).toEqual({
      reason: 'user lacks permission to perform action',
    });
  });

  it('checks the bearer before the token, with role words in the reason', () => {
    expect(
      checkPermissions(bearer('read-only', ['user.read']), new Set(['user.update']), [
        'user.update',
      ]),
    ).toEqual({
      reason: 'read only lacks permission to perform action',
    });
    expect(
      checkPermissions(bearer('admin', ['*']), new Set(['user.read']), ['user.update']),
    ).toEqual({
      reason: 'token lacks permission to perform action',
    });
  });

  it('needs every required action, and ignores the token set without a token', () => {
    expect(
      checkPermissions(bearer('admin', ['user.read']), null, ['user.read', 'user.update']),
    ).not.toBe(true);
    expect(
      checkPermissions(bearer('admin', ['user.read', 'user.update']), null, [
        'user.read',
        'user.update',
      ]),
    ).toBe(true);
  });
});

describe('fitsEnvironment (spec 01 §3.3)', () => {
  const global = environmentView(null);
  const isolated = environmentView({ id: 'e1', isolationStrategy: 'ISOLATED' });
  const shared = environmentView({ id: 'e1', isolationStrategy: 'SHARED' });

  it.each([
    ['global takes global', global, null, false, true],
    ['global refuses an environment', global, 'e1', false, false],
    ['isolated takes its own', isolated, 'e1', false, true],
    ['isolated refuses global', isolated, null, false, false],
    ['isolated lets a global admin step in', isolated, null, true, true],
    ['isolated refuses another environment', isolated, 'e2', true, false],
    ['shared takes global', shared, null, false, true],
    ['shared refuses another environment', shared, 'e2', false, false],
  ] as const)('%s', (_name, view, envId, globalAdmin, expected) => {
    expect(fitsEnvironment(view, envId, globalAdmin)).toBe(expected);
  });
});

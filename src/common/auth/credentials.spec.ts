import { parseCredential } from './credentials';

const basic = (s: string): string => `Basic ${Buffer.from(s).toString('base64')}`;

describe('parseCredential', () => {
  it.each([
    ['Bearer abc', { kind: 'token', scheme: 'Bearer', value: 'abc' }],
    ['Token abc', { kind: 'token', scheme: 'Token', value: 'abc' }],
    ['Token token="abc"', { kind: 'token', scheme: 'Token', value: 'abc' }],
    ['License KEY-1', { kind: 'license', scheme: 'License', value: 'KEY-1' }],
    [basic('license:KEY-1'), { kind: 'license', scheme: 'Basic', value: 'KEY-1' }],
    [basic('token:abc'), { kind: 'token', scheme: 'Basic', value: 'abc' }],
    [basic('abc:'), { kind: 'token', scheme: 'Basic', value: 'abc' }],
    [basic(':'), { kind: 'invalid', scheme: 'Basic' }],
    [basic('nocolon'), { kind: 'invalid', scheme: 'Basic' }],
  ])('parses %s', (header, expected) => {
    expect(parseCredential(header, {}, false)).toEqual(expected);
  });

  it('treats email:password as a password only where allowed', () => {
    expect(parseCredential(basic('a@b.co:pw'), {}, true)).toEqual({
      kind: 'password',
      scheme: 'Basic',
      email: 'a@b.co',
      password: 'pw',
    });
    expect(parseCredential(basic('a@b.co:pw'), {}, false).kind).toBe('token');
  });

  it('falls back to ?token= and ?auth=', () => {
    expect(parseCredential(undefined, { token: 'abc' }, false)).toEqual({ kind: 'token', scheme: 'Bearer', value: 'abc' });
    expect(parseCredential(undefined, { auth: 'license:K' }, false)).toEqual({ kind: 'license', scheme: 'Bearer', value: 'K' });
    expect(parseCredential(undefined, {}, false).kind).toBe('none');
  });
});

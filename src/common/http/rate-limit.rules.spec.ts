import { createHash } from 'node:crypto';
import {
  accountSegment,
  generalCredential,
  ipMatcher,
  isBotProbe,
  normalizeIp,
  selectLimiters,
  type RateLimitRequest,
} from './rate-limit.rules';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const b64 = (s: string): string => Buffer.from(s).toString('base64');

function req(over: Partial<RateLimitRequest> = {}): RateLimitRequest {
  return {
    method: 'GET',
    path: '/v1/accounts/acme/licenses',
    query: '',
    queryParams: {},
    ip: '1.2.3.4',
    ...over,
  };
}

describe('rate-limit rules', () => {
  describe('generalCredential (ip_limit_proc)', () => {
    it.each<[string | undefined, Record<string, unknown>, string]>([
      [undefined, {}, ''],
      ['Bearer tok', {}, 'tok'],
      ['bearer tok', {}, 'tok'],
      ['Token tok', {}, 'tok'],
      ['License KEY-1', {}, 'KEY-1'],
      ['Bearer', { token: 'ignored' }, ''],
      [`Basic ${b64('token:tok')}`, {}, 'tok'],
      [`Basic ${b64('license:KEY')}`, {}, 'KEY'],
      [`Basic ${b64('tok:')}`, {}, 'tok'],
      [`Basic ${b64('user@example.com:pw')}`, {}, 'user@example.com'],
      [`Basic ${b64(':pw')}`, {}, ''],
      [`Basic ${b64('nocolon')}`, {}, 'nocolon'],
      ['Basic', {}, ''],
      ['Digest x', { token: 'qtok' }, 'qtok'],
      [undefined, { token: 'qtok' }, 'qtok'],
      [undefined, { auth: 'token:qtok' }, 'qtok'],
      [undefined, { auth: 'license:KEY' }, 'KEY'],
      [undefined, { auth: 'a:b' }, 'a'],
      [undefined, { token: 'first', auth: 'second' }, 'first'],
      [undefined, { token: ['x'] }, ''],
    ])('reads %p / %p as %p', (authorization, queryParams, expected) => {
      expect(generalCredential(authorization, queryParams)).toBe(expected);
    });
  });

  describe('accountSegment', () => {
    it.each([
      ['/v1/accounts/acme/licenses', 'acme'],
      ['/v1/accounts/acme/', 'acme'],
      // compat: Keygen's regex needs a segment after the account.
      ['/v1/accounts/acme', null],
      ['/v2/accounts/acme/x', 'acme'],
      ['/v1/licenses', null],
    ])('%s → %p', (path, expected) => {
      expect(accountSegment(path)).toBe(expected);
    });
  });

  describe('selectLimiters', () => {
    it('selects nothing by default for ordinary requests', () => {
      expect(selectLimiters(req(), { maxRps: -1, maxRpm: -1 })).toEqual([]);
    });

    it('keys the general limiters on account/ip/sha(credential), in 1s then 1m order', () => {
      const rules = selectLimiters(req({ authorization: 'Bearer tok' }), {
        maxRps: 3,
        maxRpm: 100,
      });
      expect(rules).toEqual([
        { window: '1s', periodS: 1, limit: 3, key: `acme/1.2.3.4/${sha('tok')}` },
        { window: '1m', periodS: 60, limit: 100, key: `acme/1.2.3.4/${sha('tok')}` },
      ]);
    });

    it('keys on ip/sha when the path has no account part', () => {
      const [rule] = selectLimiters(req({ path: '/v1/accounts/acme' }), { maxRps: 1, maxRpm: 0 });
      expect(rule.key).toBe(`1.2.3.4/${sha('')}`);
    });

    describe('auth', () => {
      const login = (auth: string, over: Partial<RateLimitRequest> = {}) =>
        selectLimiters(
          req({ method: 'POST', path: '/v1/accounts/acme/tokens', authorization: auth, ...over }),
          {
            maxRps: 0,
            maxRpm: 0,
          },
        );

      it('counts Basic email:password by lower-cased email', () => {
        expect(login(`Basic ${b64('Jo@Example.com:pw')}`)).toEqual([
          { window: 'auth', periodS: 60, limit: 5, key: `acme/1.2.3.4/${sha('jo@example.com')}` },
        ]);
      });

      it.each([
        ['an empty password', `Basic ${b64('jo@example.com:')}`, {}],
        ['a blank password', `Basic ${b64('jo@example.com:   ')}`, {}],
        ['no @', `Basic ${b64('jo:pw')}`, {}],
        ['lower-case scheme', `basic ${b64('jo@example.com:pw')}`, {}],
        ['Bearer', 'Bearer tok', {}],
        ['GET', `Basic ${b64('jo@example.com:pw')}`, { method: 'GET' }],
        ['an unscoped path', `Basic ${b64('jo@example.com:pw')}`, { path: '/v1/tokens' }],
        [
          'a trailing slash',
          `Basic ${b64('jo@example.com:pw')}`,
          { path: '/v1/accounts/acme/tokens/' },
        ],
        [
          'a token sub-resource',
          `Basic ${b64('jo@example.com:pw')}`,
          { path: '/v1/accounts/acme/tokens/abc' },
        ],
      ])('ignores %s', (_label, auth, over) => {
        expect(login(auth, over)).toEqual([]);
      });
    });

    it('counts password resets by lower-cased meta.email (body, then query)', () => {
      const base = { method: 'POST', path: '/v1/accounts/acme/passwords' };
      expect(
        selectLimiters(req({ ...base, body: { meta: { email: 'A@B.co' } } }), {
          maxRps: 0,
          maxRpm: 0,
        }),
      ).toEqual([
        { window: 'rstpwd', periodS: 3600, limit: 5, key: `acme/1.2.3.4/${sha('a@b.co')}` },
      ]);
      expect(
        selectLimiters(req({ ...base, queryParams: { meta: { email: 'q@b.co' } } }), {
          maxRps: 0,
          maxRpm: 0,
        })[0].key,
      ).toBe(`acme/1.2.3.4/${sha('q@b.co')}`);
      expect(
        selectLimiters(req({ ...base, body: { meta: {} } }), { maxRps: 0, maxRpm: 0 }),
      ).toEqual([]);
      expect(
        selectLimiters(req({ ...base, body: { meta: { email: ' ' } } }), { maxRps: 0, maxRpm: 0 }),
      ).toEqual([]);
    });

    it('counts password mutations by lower-cased user segment', () => {
      for (const action of ['update-password', 'reset-password']) {
        const rules = selectLimiters(
          req({ method: 'POST', path: `/v1/accounts/acme/users/Jo@X.com/actions/${action}` }),
          {
            maxRps: 0,
            maxRpm: 0,
          },
        );
        expect(rules).toEqual([
          { window: 'mutpwd', periodS: 600, limit: 5, key: `acme/1.2.3.4/${sha('jo@x.com')}` },
        ]);
      }
      expect(
        selectLimiters(
          req({ method: 'GET', path: '/v1/accounts/acme/users/u/actions/update-password' }),
          { maxRps: 0, maxRpm: 0 },
        ),
      ).toEqual([]);
    });

    it.each([
      ['POST', '/v1/accounts/acme/users/u/second-factors', true],
      ['PATCH', '/v1/accounts/acme/users/u/second-factors/x', true],
      ['PUT', '/v1/accounts/acme/users/u/second-factors/x', true],
      ['DELETE', '/v1/accounts/acme/users/u/second-factors/x', true],
      ['GET', '/v1/accounts/acme/users/u/second-factors', false],
      ['POST', '/v1/accounts/acme/users/u/second-factors/x', false],
      ['DELETE', '/v1/accounts/acme/users/u/second-factors', false],
    ])('counts %s %s as a 2FA mutation: %s', (method, path, counted) => {
      const rules = selectLimiters(req({ method, path }), { maxRps: 0, maxRpm: 0 });
      expect(rules.map((r) => r.window)).toEqual(counted ? ['mutmfa'] : []);
    });
  });

  describe('isBotProbe', () => {
    it.each([
      ['/wp-login.php', '', true],
      ['/v1/wp-admin', '', true],
      ['/blog/wp-content/x', '', true],
      ['/cgi-bin/x', '', true],
      ['/etc/passwd', '', true],
      ['/x/etc/profile', '', true],
      ['/index.php', '', true],
      ['/a.cgi', '', true],
      ['/v1/ping', 'f=%2Fetc%2Fpasswd', true],
      ['/v1/ping', 'f=/etc/profile', true],
      ['/v1/accounts/acme/licenses', 'q=php', false],
      ['/php', '', false],
      ['.php', '', false],
      ['/v1/accounts/acme/artifacts/app.phpx', '', false],
    ])('%s?%s → %s', (path, query, expected) => {
      expect(isBotProbe(path, query)).toBe(expected);
    });
  });

  describe('IP matching', () => {
    const match = ipMatcher([
      '10.0.0.1',
      '192.168.0.0/16',
      '2001:db8::/32',
      'not-an-ip',
      '::ffff:172.16.0.9',
    ]);

    it.each([
      ['10.0.0.1', true],
      ['::ffff:10.0.0.1', true],
      ['10.0.0.2', false],
      ['192.168.44.1', true],
      ['2001:db8:1::5', true],
      ['2001:db9::1', false],
      ['172.16.0.9', true],
      ['garbage', false],
    ])('%s → %s', (ip, expected) => {
      expect(match(ip)).toBe(expected);
    });

    it('matches nothing with an empty list', () => {
      expect(ipMatcher([])('10.0.0.1')).toBe(false);
    });

    it('normalises IPv4-mapped addresses', () => {
      expect(normalizeIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
      expect(normalizeIp('::1')).toBe('::1');
    });
  });
});

import {
  licenseKeyAuthFailure,
  revokesAccess,
  supportsLicenseAuth,
  supportsTokenAuth,
  type LicenseKeyAuthFacts,
} from './license-auth.rules';

const NOW = new Date('2024-06-01T00:00:00Z');
const PAST = new Date('2024-05-01T00:00:00Z');

function facts(over: {
  bannedAt?: Date | null;
  suspended?: boolean;
  expiry?: Date | null;
  expirationStrategy?: string | null;
  authenticationStrategy?: string | null;
}): LicenseKeyAuthFacts {
  return {
    license: { suspended: over.suspended ?? false, expiry: over.expiry ?? null },
    owner: over.bannedAt === undefined ? null : { bannedAt: over.bannedAt },
    policy: {
      expirationStrategy:
        over.expirationStrategy === undefined ? 'REVOKE_ACCESS' : over.expirationStrategy,
      authenticationStrategy:
        over.authenticationStrategy === undefined ? 'LICENSE' : over.authenticationStrategy,
    },
  };
}

describe('authentication strategies (truth table)', () => {
  it.each([
    ['TOKEN', true, false],
    ['LICENSE', false, true],
    ['MIXED', true, true],
    ['SESSION', false, false],
    ['NONE', false, false],
    [null, true, false],
  ])('%s: token %s, license key %s', (strategy, token, key) => {
    expect(supportsTokenAuth(strategy)).toBe(token);
    expect(supportsLicenseAuth(strategy)).toBe(key);
  });

  it('revokes access under REVOKE_ACCESS and a null strategy only', () => {
    expect(revokesAccess('REVOKE_ACCESS')).toBe(true);
    expect(revokesAccess(null)).toBe(true);
    for (const s of ['RESTRICT_ACCESS', 'MAINTAIN_ACCESS', 'ALLOW_ACCESS']) {
      expect(revokesAccess(s)).toBe(false);
    }
  });
});

describe('licenseKeyAuthFailure', () => {
  it('authenticates a healthy license of a LICENSE or MIXED policy', () => {
    expect(licenseKeyAuthFailure(facts({}), NOW)).toBeNull();
    expect(licenseKeyAuthFailure(facts({ authenticationStrategy: 'MIXED' }), NOW)).toBeNull();
  });

  it('checks banned, suspended, expired (REVOKE_ACCESS), then the strategy, in that order', () => {
    const all = { bannedAt: PAST, suspended: true, expiry: PAST, authenticationStrategy: 'TOKEN' };
    expect(licenseKeyAuthFailure(facts(all), NOW)).toBe('LICENSE_BANNED');
    expect(licenseKeyAuthFailure(facts({ ...all, bannedAt: null }), NOW)).toBe('LICENSE_SUSPENDED');
    expect(licenseKeyAuthFailure(facts({ ...all, bannedAt: null, suspended: false }), NOW)).toBe(
      'LICENSE_EXPIRED',
    );
    expect(
      licenseKeyAuthFailure(facts({ ...all, bannedAt: null, suspended: false, expiry: null }), NOW),
    ).toBe('LICENSE_NOT_ALLOWED');
  });

  it('lets an expired license in unless the policy revokes access', () => {
    expect(licenseKeyAuthFailure(facts({ expiry: PAST, expirationStrategy: null }), NOW)).toBe(
      'LICENSE_EXPIRED',
    );
    for (const s of ['RESTRICT_ACCESS', 'MAINTAIN_ACCESS', 'ALLOW_ACCESS']) {
      expect(licenseKeyAuthFailure(facts({ expiry: PAST, expirationStrategy: s }), NOW)).toBeNull();
    }
  });

  it('refuses TOKEN, SESSION, NONE and null strategies', () => {
    for (const s of ['TOKEN', 'SESSION', 'NONE', null]) {
      expect(licenseKeyAuthFailure(facts({ authenticationStrategy: s }), NOW)).toBe(
        'LICENSE_NOT_ALLOWED',
      );
    }
  });
});

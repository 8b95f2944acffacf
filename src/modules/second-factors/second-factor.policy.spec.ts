import { NO_REASON, type Decision } from '@app/common/auth/policy';
import type { Bearer } from '@app/common/auth/bearer';
import {
  ALL_PERMISSIONS,
  DEFAULT_PERMISSIONS,
  ENVIRONMENT_PERMISSIONS,
} from '@app/common/auth/permissions';
import type { Role } from '@app/common/auth/roles';
import { secondFactorPolicy, type PolicyFacts } from './second-factor.policy';

const ISO = { id: 'env-i', isolationStrategy: 'ISOLATED' as const };
const SHARED = { id: 'env-s', isolationStrategy: 'SHARED' as const };

function bearer(role: Role, opts: Partial<Bearer> = {}): Bearer {
  const type =
    role === 'environment'
      ? 'environments'
      : role === 'product'
        ? 'products'
        : role === 'license'
          ? 'licenses'
          : 'users';
  return {
    type,
    id: opts.id ?? 'me',
    role,
    permissions:
      opts.permissions ??
      (role === 'environment' ? ENVIRONMENT_PERMISSIONS : DEFAULT_PERMISSIONS[role]),
    environmentId: opts.environmentId ?? null,
    record: null,
  };
}

const facts = (b: Bearer, environment: PolicyFacts['environment'] = null): PolicyFacts => ({
  bearer: b,
  environment,
  token: null,
});
const reason = (d: Decision): string | null => (d === true ? null : d.reason);
const own = { userId: 'me', environmentId: null };
const theirs = { userId: 'them', environmentId: null };
const globalUser = { environmentId: null };

describe('secondFactorPolicy', () => {
  describe.each(['show', 'update', 'destroy', 'create'] as const)('%s', (action) => {
    const decide = (b: Bearer, record = own) =>
      reason(secondFactorPolicy[action](facts(b), globalUser, record));

    it('lets an admin act on anyone', () => {
      expect(decide(bearer('admin'), theirs)).toBeNull();
    });

    it.each(['developer', 'sales-agent', 'support-agent', 'user'] as const)(
      'limits a %s to its own',
      (role) => {
        expect(decide(bearer(role), own)).toBeNull();
        expect(decide(bearer(role), theirs)).toBe(NO_REASON);
      },
    );

    it('denies products (no second-factor permissions) and environments (role)', () => {
      expect(decide(bearer('product'), theirs)).toBe('product lacks permission to perform action');
      const env = bearer('environment', { id: ISO.id, environmentId: ISO.id });
      expect(
        reason(
          secondFactorPolicy[action](
            facts(env, ISO),
            { environmentId: ISO.id },
            { userId: 'x', environmentId: ISO.id },
          ),
        ),
      ).toBe(NO_REASON);
    });
  });

  it('lets read-only read its own but never write', () => {
    const ro = bearer('read-only');
    expect(secondFactorPolicy.show(facts(ro), globalUser, own)).toBe(true);
    expect(reason(secondFactorPolicy.update(facts(ro), globalUser, own))).toBe(
      'read only lacks permission to perform action',
    );
    const wildcard = bearer('read-only', { permissions: ['*'] });
    expect(reason(secondFactorPolicy.destroy(facts(wildcard), globalUser, own))).toBe(
      'read only lacks permission to perform action',
    );
    const granted = bearer('read-only', { permissions: [...ALL_PERMISSIONS] });
    expect(reason(secondFactorPolicy.destroy(facts(granted), globalUser, own))).toBe(NO_REASON);
  });

  describe('index', () => {
    it('passes an empty list for anyone holding the permission (compat: all? on nothing)', () => {
      expect(secondFactorPolicy.index(facts(bearer('developer')), globalUser, [])).toBe(true);
    });

    it("denies staff a list holding someone else's factor", () => {
      expect(
        reason(secondFactorPolicy.index(facts(bearer('support-agent')), globalUser, [theirs])),
      ).toBe(NO_REASON);
      expect(secondFactorPolicy.index(facts(bearer('support-agent')), globalUser, [own])).toBe(
        true,
      );
    });
  });

  describe('environments', () => {
    it('reads global factors from a shared environment but writes only its own', () => {
      const admin = bearer('admin');
      expect(secondFactorPolicy.show(facts(admin, SHARED), globalUser, theirs)).toBe(true);
      expect(reason(secondFactorPolicy.update(facts(admin, SHARED), globalUser, theirs))).toBe(
        'record environment is not compatible with the current environment',
      );
      const local = { userId: 'them', environmentId: SHARED.id };
      expect(secondFactorPolicy.update(facts(admin, SHARED), globalUser, local)).toBe(true);
    });

    it('rejects a parent user from another environment', () => {
      const admin = bearer('admin', { environmentId: ISO.id });
      expect(
        reason(
          secondFactorPolicy.show(facts(admin, ISO), globalUser, {
            userId: 'x',
            environmentId: ISO.id,
          }),
        ),
      ).toBe('user environment is not compatible with the current environment');
    });
  });

  describe('scope', () => {
    it('maps bearers to list filters', () => {
      expect(secondFactorPolicy.scope(bearer('read-only'))).toEqual({ kind: 'all' });
      expect(secondFactorPolicy.scope(bearer('user', { id: 'u1' }))).toEqual({
        kind: 'user',
        userId: 'u1',
      });
      expect(secondFactorPolicy.scope(bearer('product'))).toEqual({ kind: 'none' });
    });
  });
});

import { NO_REASON, type Decision } from '@app/common/auth/policy';
import type { Bearer } from '@app/common/auth/bearer';
import { DEFAULT_PERMISSIONS, ENVIRONMENT_PERMISSIONS } from '@app/common/auth/permissions';
import type { Role } from '@app/common/auth/roles';
import { environmentPolicy, type PolicyFacts } from './environment.policy';

const ENV_A = { id: 'env-a', isolationStrategy: 'ISOLATED' as const };
const ENV_S = { id: 'env-s', isolationStrategy: 'SHARED' as const };

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
    id: opts.id ?? `${role}-1`,
    role,
    permissions:
      opts.permissions ??
      (role === 'environment' ? ENVIRONMENT_PERMISSIONS : DEFAULT_PERMISSIONS[role]),
    environmentId: opts.environmentId ?? null,
    record: null,
  };
}

function facts(
  b: Bearer,
  environment: PolicyFacts['environment'] = null,
  token: PolicyFacts['token'] = null,
): PolicyFacts {
  return { bearer: b, environment, token };
}

const reason = (d: Decision): string | null => (d === true ? null : d.reason);
const lacks = (words: string) => `${words} lacks permission to perform action`;

describe('environmentPolicy', () => {
  describe('read rules (index, show)', () => {
    it.each([
      ['admin', null],
      ['developer', null],
      ['sales-agent', null],
      ['support-agent', null],
      ['read-only', null],
      ['user', lacks('user')],
      ['product', lacks('product')],
      ['license', lacks('license')],
    ] as const)('index by %s → %p', (role, expected) => {
      expect(reason(environmentPolicy.index(facts(bearer(role))))).toBe(expected);
    });

    it('denies an environment listing environments without a reason', () => {
      const env = bearer('environment', { id: ENV_A.id, environmentId: ENV_A.id });
      expect(reason(environmentPolicy.index(facts(env, ENV_A)))).toBe(NO_REASON);
    });

    it('lets an environment show itself only', () => {
      const env = bearer('environment', { id: ENV_A.id, environmentId: ENV_A.id });
      expect(environmentPolicy.show(facts(env, ENV_A), { id: ENV_A.id })).toBe(true);
      expect(reason(environmentPolicy.show(facts(env, ENV_A), { id: 'other' }))).toBe(NO_REASON);
    });

    it('lets admin-family read from inside an environment (reads are not strict)', () => {
      expect(environmentPolicy.show(facts(bearer('admin'), ENV_S), { id: ENV_A.id })).toBe(true);
      expect(environmentPolicy.index(facts(bearer('read-only'), ENV_S))).toBe(true);
    });
  });

  describe('write rules (create, update, destroy)', () => {
    const writes = ['create', 'update', 'destroy'] as const;

    it.each(writes)('%s: admin and developer only, from the global environment', (action) => {
      const decide = (f: PolicyFacts) => reason(environmentPolicy[action](f));
      expect(decide(facts(bearer('admin')))).toBeNull();
      expect(decide(facts(bearer('developer')))).toBeNull();
      expect(decide(facts(bearer('sales-agent')))).toBe(NO_REASON);
      expect(decide(facts(bearer('support-agent')))).toBe(NO_REASON);
      expect(decide(facts(bearer('read-only')))).toBe(lacks('read only'));
      expect(decide(facts(bearer('user')))).toBe(lacks('user'));
      expect(
        decide(facts(bearer('environment', { id: ENV_A.id, environmentId: ENV_A.id }), ENV_A)),
      ).toBe(lacks('environment'));
    });

    it.each(writes)(
      '%s: denied inside an environment (environments have none of their own)',
      (action) => {
        expect(reason(environmentPolicy[action](facts(bearer('admin'), ENV_S)))).toBe(
          'record is not compatible with the current environment',
        );
        const local = bearer('admin', { environmentId: ENV_A.id });
        expect(reason(environmentPolicy[action](facts(local, ENV_A)))).toBe(
          'record is not compatible with the current environment',
        );
      },
    );

    it('checks permissions before the environment, and the environment before the role', () => {
      expect(reason(environmentPolicy.update(facts(bearer('read-only'), ENV_S)))).toBe(
        lacks('read only'),
      );
      expect(reason(environmentPolicy.update(facts(bearer('sales-agent'), ENV_S)))).toBe(
        'record is not compatible with the current environment',
      );
    });
  });

  describe('environment compatibility of bearer and token', () => {
    it('lets a global admin into an isolated environment but not other global bearers', () => {
      expect(environmentPolicy.index(facts(bearer('admin'), ENV_A))).toBe(true);
      expect(reason(environmentPolicy.index(facts(bearer('developer'), ENV_A)))).toBe(
        'developer environment is not compatible with the current environment',
      );
      expect(environmentPolicy.index(facts(bearer('developer'), ENV_S))).toBe(true);
    });

    it('requires an environment bearer to be in its environment', () => {
      const env = bearer('environment', { id: ENV_A.id, environmentId: ENV_A.id });
      expect(reason(environmentPolicy.show(facts(env), { id: ENV_A.id }))).toBe(
        'environment environment is not compatible with the current environment',
      );
    });

    it('checks the token environment strictly in isolated environments', () => {
      const admin = bearer('admin');
      const token = { permissions: new Set(['environment.read']), environmentId: null };
      expect(reason(environmentPolicy.index(facts(admin, ENV_A, token)))).toBe(
        'token environment is not compatible with the current environment',
      );
      expect(environmentPolicy.index(facts(admin, ENV_S, token))).toBe(true);
    });

    it('checks the token permissions after the bearer permissions', () => {
      const token = { permissions: new Set(['environment.read']), environmentId: null };
      expect(reason(environmentPolicy.create(facts(bearer('admin'), null, token)))).toBe(
        'token lacks permission to perform action',
      );
    });
  });

  describe('scope', () => {
    it('gives admin-family every environment, an environment itself, everyone else none', () => {
      expect(environmentPolicy.scope(bearer('read-only'))).toEqual({ kind: 'all' });
      expect(environmentPolicy.scope(bearer('environment', { id: ENV_A.id }))).toEqual({
        kind: 'self',
        id: ENV_A.id,
      });
      expect(environmentPolicy.scope(bearer('user'))).toEqual({ kind: 'none' });
      expect(environmentPolicy.scope(bearer('product'))).toEqual({ kind: 'none' });
    });
  });
});

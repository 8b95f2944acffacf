import { isAdminFamily, type Bearer } from '@app/common/auth/bearer';
import {
  type Decision,
  deny,
  chain,
  checkPermissions,
  fitsEnvironment,
  environmentView,
} from '@app/common/auth/policy';
import { roleWords } from '@app/common/auth/roles';
import type { RequestContext } from '@app/common/context/request-context';
import { ForbiddenError } from '@app/common/errors/api-error';
import type { Environment, IsolationStrategy } from './environment.entity';

/**
 * Record-level rules for environments (Keygen's EnvironmentPolicy), as pure
 * functions over the request's facts. Each rule runs Keygen's order: permission →
 * environment → role, and returns the first denial.
 */

/** What the rules need to know about the request. */
export interface PolicyFacts {
  bearer: Bearer;
  /** The token that authenticated the request (its effective permissions), if any. */
  token: { permissions: ReadonlySet<string>; environmentId: string | null } | null;
  /** The current environment; null is the global environment. */
  environment: { id: string; isolationStrategy: IsolationStrategy } | null;
}

export function factsOf(ctx: RequestContext): PolicyFacts {
  if (!ctx.bearer) {
    throw ForbiddenError.because('authentication is required');
  }
  return {
    bearer: ctx.bearer,
    token: ctx.token
      ? { permissions: ctx.permissions ?? new Set(), environmentId: ctx.token.environmentId }
      : null,
    environment: ctx.environment,
  };
}

export const ENVIRONMENT_ACTION_PERMISSION = {
  index: 'environment.read',
  show: 'environment.read',
  create: 'environment.create',
  update: 'environment.update',
  destroy: 'environment.delete',
} as const;
export type EnvironmentAction = keyof typeof ENVIRONMENT_ACTION_PERMISSION;

function permissionDecision(f: PolicyFacts, permission: string): Decision {
  return checkPermissions(f.bearer, f.token?.permissions ?? null, [permission]);
}

/** Keygen's compatibility of a bearer's or token's environment with the current one. */
function fits(f: PolicyFacts, envId: string | null, globalAdminEscapes: boolean): boolean {
  return fitsEnvironment(
    environmentView(f.environment),
    envId,
    globalAdminEscapes && f.bearer.role === 'admin',
  );
}

/**
 * verify_environment! for an environment record. Environments have no environment
 * of their own, so a strict (write) check fails anywhere but the global environment.
 */
function environmentDecision(f: PolicyFacts, strict: boolean): Decision {
  if (!fits(f, f.bearer.environmentId, true)) {
    return deny(
      `${roleWords(f.bearer.role)} environment is not compatible with the current environment`,
    );
  }
  if (f.token && !fits(f, f.token.environmentId, false)) {
    return deny('token environment is not compatible with the current environment');
  }
  if (strict && f.environment) {
    return deny('record is not compatible with the current environment');
  }
  return true;
}

const adminOrDeveloper = (b: Bearer): Decision =>
  b.role === 'admin' || b.role === 'developer' ? true : deny();

/** Which environments a bearer can address at all (lookups outside it are 404s). */
export type EnvironmentAccess = { kind: 'all' } | { kind: 'self'; id: string } | { kind: 'none' };

export const environmentPolicy = {
  scope(bearer: Bearer): EnvironmentAccess {
    if (isAdminFamily(bearer)) {
      return { kind: 'all' };
    }
    if (bearer.role === 'environment') {
      return { kind: 'self', id: bearer.id };
    }
    return { kind: 'none' };
  },

  index(f: PolicyFacts): Decision {
    return chain(
      () => permissionDecision(f, ENVIRONMENT_ACTION_PERMISSION.index),
      () => environmentDecision(f, false),
      () => (isAdminFamily(f.bearer) ? true : deny()),
    );
  },

  show(f: PolicyFacts, record: Pick<Environment, 'id'>): Decision {
    return chain(
      () => permissionDecision(f, ENVIRONMENT_ACTION_PERMISSION.show),
      () => environmentDecision(f, false),
      () =>
        isAdminFamily(f.bearer) || (f.bearer.role === 'environment' && f.bearer.id === record.id)
          ? true
          : deny(),
    );
  },

  create(f: PolicyFacts): Decision {
    return chain(
      () => permissionDecision(f, ENVIRONMENT_ACTION_PERMISSION.create),
      () => environmentDecision(f, true),
      () => adminOrDeveloper(f.bearer),
    );
  },

  update(f: PolicyFacts): Decision {
    return chain(
      () => permissionDecision(f, ENVIRONMENT_ACTION_PERMISSION.update),
      () => environmentDecision(f, true),
      () => adminOrDeveloper(f.bearer),
    );
  },

  destroy(f: PolicyFacts): Decision {
    return chain(
      () => permissionDecision(f, ENVIRONMENT_ACTION_PERMISSION.destroy),
      () => environmentDecision(f, true),
      () => adminOrDeveloper(f.bearer),
    );
  },
};

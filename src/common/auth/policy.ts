import { ForbiddenError } from '../errors/api-error';
import type { Bearer } from './bearer';
import { effectiveBearerPermissions } from './permissions';
import { roleWords } from './roles';

/**
 * The record-level policy toolkit every `<resource>.policy.ts` builds on: a rule
 * returns `true` or a Denial with the reason shown in the 403 detail, rules are
 * chained in Keygen's order (permission → environment → role rule) and the
 * service calls `enforce` after loading the record.
 */
export interface Denial {
  reason: string;
}

export type Decision = true | Denial;

/** The 403 reason when a bearer is present but no rule names one (spec 00 §4.2). */
export const NO_REASON = 'ensure the token or license is allowed to access all resources';

/**
 * compat: Keygen looks the record up (404) or validates the body (400/422) before it
 * checks permissions, so routes whose policy checks permissions in the service
 * declare `@Authorize(CHECKED_BY_POLICY)`: authenticated, permissions checked later.
 */
export const CHECKED_BY_POLICY = (): readonly string[] => [];

export const deny = (reason: string = NO_REASON): Denial => ({ reason });

export const when = (allowed: boolean): Decision => (allowed ? true : deny());

/** The first denial among the steps, in order; `true` when every step allows. */
export function chain(...steps: Array<() => Decision>): Decision {
  for (const step of steps) {
    const d = step();
    if (d !== true) {
      return d;
    }
  }
  return true;
}

/** Throws the 403 for a denial. */
export function enforce(decision: Decision): void {
  if (decision !== true) {
    throw ForbiddenError.because(decision.reason);
  }
}

/**
 * The permission rule (spec 01 §2.4): the bearer's own set (`*` capped by its role)
 * must hold every required action, then so must the token's effective set when a
 * token is in use (`tokenPermissions` null otherwise). The guard and every policy
 * that checks permissions after its lookup use this one rule.
 */
export function checkPermissions(
  bearer: Bearer,
  tokenPermissions: ReadonlySet<string> | null,
  required: readonly string[],
): Decision {
  const held = effectiveBearerPermissions(bearer.role, bearer.permissions);
  if (!required.every((r) => held.has(r))) {
    return deny(`${roleWords(bearer.role)} lacks permission to perform action`);
  }
  if (tokenPermissions && !required.every((r) => tokenPermissions.has(r))) {
    return deny('token lacks permission to perform action');
  }
  return true;
}

/** The environment rule's view of where a request runs: which environment, and whether it is SHARED. */
export interface EnvironmentView {
  environmentId: string | null;
  shared: boolean;
}

/** The view for a current environment record (null = the global environment). */
export function environmentView(
  env: { id: string; isolationStrategy: string } | null,
): EnvironmentView {
  return { environmentId: env?.id ?? null, shared: env?.isolationStrategy === 'SHARED' };
}

/**
 * Whether a bearer, token or parent record in `envId` suits the current environment
 * (spec 01 §3.3): the global environment takes global ones; an environment takes its
 * own, a SHARED one global ones too; `globalAdmin` lets a global admin step into an
 * isolated environment.
 */
export function fitsEnvironment(
  view: EnvironmentView,
  envId: string | null,
  globalAdmin: boolean,
): boolean {
  if (view.environmentId === null) {
    return envId === null;
  }
  if (envId === view.environmentId || (view.shared && envId === null)) {
    return true;
  }
  return globalAdmin && envId === null;
}

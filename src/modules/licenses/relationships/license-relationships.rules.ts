import type { ApiErrorItem } from '@app/common/errors/api-error';
import {
  renderModelErrors as renderGrouped,
  type ModelError,
} from '@app/common/errors/model-errors';
import type { Policy } from '@app/modules/policies/policy.entity';
import {
  environmentCompatible,
  type EnvironmentRef,
} from '@app/modules/policies/policy-entitlement.rules';

/**
 * Pure rules of the license relationship changes (spec 02 §4.8, §4.9, §10.3): policy
 * compatibility, user limits with overage, association environments, and the 422
 * rendering Keygen uses for them.
 */

export type { ModelError };

/**
 * Keygen's grouped 422 rendering (spec 02 §0.4) with the docs links of `topic`
 * (`licenses` for licenses and license-users, `entitlements` for license-entitlements).
 */
export function renderModelErrors(errors: readonly ModelError[], topic: string): ApiErrorItem[] {
  return renderGrouped(errors, `https://keygen.sh/docs/api/${topic}/#${topic}-object`);
}

export const rel = (name: string, code: string, detail: string): ModelError => ({
  path: `relationships/${name}`,
  code,
  detail,
});

export const mustExist = (name: string): ModelError =>
  rel(name, `${name.toUpperCase()}_NOT_FOUND`, 'must exist');

/** `ENVIRONMENT_NOT_ALLOWED` for an association the record's environment cannot point at. */
export const environmentNotAllowed = (assoc: string): ModelError =>
  rel('environment', 'ENVIRONMENT_NOT_ALLOWED', `must be compatible with ${assoc} environment`);

/**
 * Whether a record in `child` may point at an association in `assocEnvId` (spec 01
 * §3.3 rule 4); a global admin may be associated from an isolated environment.
 */
export function associationFits(
  child: EnvironmentRef,
  assocEnvId: string | null,
  globalAdmin = false,
): boolean {
  if (child?.isolationStrategy === 'ISOLATED' && globalAdmin && assocEnvId === null) {
    return true;
  }
  return environmentCompatible(child, assocEnvId);
}

const UNIQUENESS_RANKS: Readonly<Record<string, number>> = {
  UNIQUE_PER_ACCOUNT: 4,
  UNIQUE_PER_PRODUCT: 3,
  UNIQUE_PER_POLICY: 2,
  UNIQUE_PER_LICENSE: 1,
  UNIQUE_PER_MACHINE: 0,
};

const rank = (strategy: string | null): number =>
  strategy !== null && strategy in UNIQUENESS_RANKS ? UNIQUENESS_RANKS[strategy] : -1;

export type PolicyShape = Pick<
  Policy,
  'encrypted' | 'usePool' | 'scheme' | 'machineUniquenessStrategy' | 'componentUniquenessStrategy'
>;

/**
 * Why a license may not move from `prev` to `next` (§4.8), or null. The first
 * difference decides, as in Keygen's case/when: a machine uniqueness strategy that
 * differs but is not stricter ends the checks without looking at components.
 */
export function policyIncompatibility(prev: PolicyShape, next: PolicyShape): string | null {
  if (next.encrypted !== prev.encrypted) {
    return 'cannot change from an encrypted policy to an unencrypted policy (or vice-versa)';
  }
  if (next.usePool !== prev.usePool) {
    return 'cannot change from a pooled policy to an unpooled policy (or vice-versa)';
  }
  if (next.scheme !== prev.scheme) {
    return 'cannot change to a policy with a different scheme';
  }
  if (next.machineUniquenessStrategy !== prev.machineUniquenessStrategy) {
    return rank(next.machineUniquenessStrategy) > rank(prev.machineUniquenessStrategy)
      ? 'cannot change to a policy with a more strict machine uniqueness strategy'
      : null;
  }
  if (next.componentUniquenessStrategy !== prev.componentUniquenessStrategy) {
    return rank(next.componentUniquenessStrategy) > rank(prev.componentUniquenessStrategy)
      ? 'cannot change to a policy with a more strict component uniqueness strategy'
      : null;
  }
  return null;
}

/**
 * The maxMachines override checked against the (new) policy's floating flag. compat:
 * Keygen skips it for 0 as for null (Rails' `max_machines_override?` is false for 0).
 */
export function maxMachinesOverrideError(
  override: number | null,
  policy: Pick<Policy, 'floating'>,
): ModelError | null {
  if (override === null || override === 0) {
    return null;
  }
  if (policy.floating && override < 1) {
    return {
      path: 'attributes/maxMachines',
      code: 'MAX_MACHINES_INVALID',
      detail: 'must be greater than or equal to 1 for floating policy',
    };
  }
  if (!policy.floating && override !== 1) {
    return {
      path: 'attributes/maxMachines',
      code: 'MAX_MACHINES_INVALID',
      detail: 'must be equal to 1 for non-floating policy',
    };
  }
  return null;
}

const OVERAGE_FACTORS: Readonly<Record<string, number>> = {
  ALLOW_1_25X_OVERAGE: 1.25,
  ALLOW_1_5X_OVERAGE: 1.5,
  ALLOW_2X_OVERAGE: 2,
};

/**
 * Whether a license may hold `count` users (owner + licensees) under its effective
 * `max` and the policy's overage strategy (§2.3 overageStrategy).
 */
export function userCountAllowed(
  count: number,
  max: number | null,
  overage: string | null,
): boolean {
  if (max === null || overage === 'ALWAYS_ALLOW_OVERAGE' || count <= max) {
    return true;
  }
  const factor = overage !== null ? OVERAGE_FACTORS[overage] : undefined;
  return factor !== undefined && count <= max * factor;
}

/** `USER_LIMIT_EXCEEDED` (Keygen normalizes every user-limit error to this code and pointer). */
export const userLimitExceeded = (max: number): ModelError =>
  rel(
    'users',
    'USER_LIMIT_EXCEEDED',
    `user count has exceeded maximum allowed for license (${max})`,
  );

/** `GROUP_LICENSE_LIMIT_EXCEEDED` when the group already holds `max` licenses. */
export const groupLicenseLimitExceeded = (max: number): ModelError =>
  rel(
    'group',
    'GROUP_LICENSE_LIMIT_EXCEEDED',
    `license count has exceeded maximum allowed by current group (${max})`,
  );

/**
 * The first id a detach cannot act on, with its pointer index. compat: Keygen
 * subtracts sets, so when only duplicates are missing it names '' at `/data/`.
 */
export function firstMissing(
  ids: readonly string[],
  present: ReadonlySet<string>,
): { id: string; index: string } {
  const id = ids.find((x) => !present.has(x));
  return id === undefined ? { id: '', index: '' } : { id, index: String(ids.indexOf(id)) };
}

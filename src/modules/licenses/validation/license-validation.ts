import { addDurationParts, type CheckInIntervalUnit, type DurationParts } from '@libs/licensing';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import type { Policy } from '@app/modules/policies/policy.entity';
// spec 03 §1.8.1: machine liveness is the machines module's rule, read at validation time.
import { heartbeatStatus } from '@app/modules/machines/machine-heartbeat';

/**
 * License validation (spec 02 §6.3) as a pure function over a snapshot: the
 * license, its policy, the scope as sent, and the facts the scope needs, loaded
 * beforehand. The first failing step returns; the order is the contract.
 */

export const VALIDATION_CODES = [
  'VALID',
  'NOT_FOUND',
  'BANNED',
  'SUSPENDED',
  'EXPIRED',
  'OVERDUE',
  'ENVIRONMENT_SCOPE_MISMATCH',
  'ENVIRONMENT_SCOPE_REQUIRED',
  'PRODUCT_SCOPE_MISMATCH',
  'PRODUCT_SCOPE_REQUIRED',
  'POLICY_SCOPE_MISMATCH',
  'POLICY_SCOPE_REQUIRED',
  'USER_SCOPE_MISMATCH',
  'USER_SCOPE_REQUIRED',
  'ENTITLEMENTS_SCOPE_EMPTY',
  'ENTITLEMENTS_MISSING',
  'NO_MACHINE',
  'NO_MACHINES',
  'MACHINE_SCOPE_MISMATCH',
  'MACHINE_SCOPE_REQUIRED',
  'HEARTBEAT_NOT_STARTED',
  'HEARTBEAT_DEAD',
  'FINGERPRINT_SCOPE_EMPTY',
  'FINGERPRINT_SCOPE_MISMATCH',
  'FINGERPRINT_SCOPE_REQUIRED',
  'COMPONENTS_SCOPE_EMPTY',
  'COMPONENTS_SCOPE_MISMATCH',
  'COMPONENTS_SCOPE_REQUIRED',
  'CHECKSUM_SCOPE_MISMATCH',
  'CHECKSUM_SCOPE_REQUIRED',
  'VERSION_SCOPE_MISMATCH',
  'VERSION_SCOPE_REQUIRED',
  'TOO_MANY_USERS',
  'TOO_MANY_MACHINES',
  'TOO_MANY_CORES',
  'TOO_MUCH_MEMORY',
  'TOO_MUCH_DISK',
  'TOO_MANY_PROCESSES',
] as const;

export type ValidationCode = (typeof VALIDATION_CODES)[number];

/** `meta.scope` after typed params: non-nullable nulls are already dropped (spec 02 §0.3). */
export interface ValidationScope {
  product?: string;
  policy?: string;
  user?: string | null;
  environment?: string | null;
  machine?: string;
  fingerprint?: string;
  fingerprints?: string[];
  components?: string[];
  entitlements?: string[];
  checksum?: string;
  version?: string;
}

/** The policy attributes validation reads. */
export type ValidationPolicy = Pick<
  Policy,
  | 'id'
  | 'strict'
  | 'floating'
  | 'requireProductScope'
  | 'requirePolicyScope'
  | 'requireMachineScope'
  | 'requireFingerprintScope'
  | 'requireComponentsScope'
  | 'requireUserScope'
  | 'requireChecksumScope'
  | 'requireVersionScope'
  | 'requireCheckIn'
  | 'checkInInterval'
  | 'checkInIntervalCount'
  | 'requireHeartbeat'
  | 'heartbeatDuration'
  | 'machineMatchingStrategy'
  | 'componentMatchingStrategy'
  | 'expirationStrategy'
  | 'machineLeasingStrategy'
  | 'processLeasingStrategy'
  | 'overageStrategy'
> & {
  /** Keygen's internal flag (not settable over the API); absent = false. */
  requireEnvironmentScope?: boolean;
};

/** Effective limits: the license's override when set and non-zero, else the policy's. */
export interface ValidationLimits {
  maxMachines: number | null;
  maxProcesses: number | null;
  maxUsers: number | null;
  maxCores: number | null;
  maxMemory: number | null;
  maxDisk: number | null;
}

/** Sums over machines: the license's (relationship meta) or one user's bucket. */
export interface MachineTotals {
  count: number;
  cores: number;
  memory: number;
  disk: number;
}

export interface ValidationLicense {
  id: string;
  environmentId: string | null;
  /** Code of the license's environment (null when global). */
  environmentCode: string | null;
  productId: string;
  policyId: string;
  ownerId: string | null;
  /** The owner exists and is banned. */
  ownerBanned: boolean;
  suspended: boolean;
  expiry: Date | null;
  lastCheckInAt: Date | null;
  limits: ValidationLimits;
  /** Licensees + 1 with an owner. */
  usersCount: number;
  machines: MachineTotals;
}

/** A machine as validation sees it (heartbeat status is computed from these). */
export interface MachineFacts {
  id: string;
  fingerprint: string;
  ownerId: string | null;
  ownerEmail: string | null;
  createdAt: Date;
  lastHeartbeatAt: Date | null;
  /** The machine's own override (null/0 = the license's maxProcesses). */
  maxProcesses: number | null;
  /** Its processes; loaded only when PER_MACHINE process limits apply. */
  processCount: number;
}

/** A release (or an artifact's release) the license may access. */
export interface ReleaseMatch {
  version: string;
}

/**
 * What the scope needs, loaded before the algorithm runs. A member is only read
 * when its scope key (or leasing strategy) asks for it.
 */
export interface ScopeFacts {
  /** The license's user (owner ∪ licensees) whose id or email is `scope.user`, if any. */
  scopeUser?: { id: string; email: string } | null;
  /** How many of the de-duplicated `scope.entitlements` codes the license has. */
  entitlementMatches?: number;
  /** The license's machine with id `scope.machine`, or null. */
  machine?: MachineFacts | null;
  /** The license's machines whose fingerprint is in the fingerprint scope (oldest first). */
  fingerprintMachines?: MachineFacts[];
  /** Components of the machine with fingerprint `scope.fingerprint` matching `scope.components`. */
  componentMatches?: number;
  /** Highest-version accessible artifact with `scope.checksum`, or null. */
  checksumRelease?: ReleaseMatch | null;
  /** Accessible published release with version `scope.version`, or null. */
  versionRelease?: ReleaseMatch | null;
  /** PER_USER leasing: machines (and their processes) owned by `scopeUser`, or ownerless ones. */
  userBucket?: MachineTotals & { processes: number };
  /** PER_LICENSE process leasing: processes on all of the license's machines. */
  licenseProcesses?: number;
}

export interface ValidationInput {
  license: ValidationLicense | null;
  policy: ValidationPolicy | null;
  /** null = quick validation (GET): every scope check (step 6) is skipped. */
  scope: ValidationScope | null;
  facts: ScopeFacts;
  now: Date;
}

/** What a validation writes back onto the license (spec 02 §11 validation touch). */
export interface ValidationTouches {
  lastValidatedAt: Date;
  lastValidatedChecksum?: string;
  lastValidatedVersion?: string;
}

export interface ValidationOutcome {
  valid: boolean;
  detail: string;
  code: ValidationCode;
  /** null when there is no license to touch. */
  touches: ValidationTouches | null;
}

/** spec 02 §6.4: over the limit, whether the policy's overage strategy still allows it. */
export function overageAllowed(strategy: string | null, count: number, limit: number): boolean {
  switch (strategy) {
    case 'ALWAYS_ALLOW_OVERAGE':
      return true;
    case 'ALLOW_1_25X_OVERAGE':
      return count <= limit * 1.25;
    case 'ALLOW_1_5X_OVERAGE':
      return count <= limit * 1.5;
    case 'ALLOW_2X_OVERAGE':
      return count <= limit * 2;
    default:
      return false;
  }
}

/**
 * Step 5: the policy requires check-in with an interval and a count, lastCheckIn
 * is set and lies before now − count×interval (calendar arithmetic, spec 02 §0.6).
 */
export function isCheckInOverdue(
  lastCheckInAt: Date | null,
  p: Pick<ValidationPolicy, 'requireCheckIn' | 'checkInInterval' | 'checkInIntervalCount'>,
  now: Date,
): boolean {
  if (!p.requireCheckIn || p.checkInInterval === null || !p.checkInIntervalCount) {
    return false;
  }
  if (lastCheckInAt === null) {
    return false;
  }
  const parts: DurationParts = {
    years: 0,
    months: 0,
    weeks: 0,
    days: 0,
    hours: 0,
    minutes: 0,
    seconds: 0,
  };
  const unit = p.checkInInterval as CheckInIntervalUnit;
  const key = ({ day: 'days', week: 'weeks', month: 'months', year: 'years' } as const)[unit];
  if (!key) {
    return false;
  }
  parts[key] = p.checkInIntervalCount;
  return lastCheckInAt.getTime() < addDurationParts(now, parts, -1).getTime();
}

/** Fingerprint list of the scope: `fingerprint` if given, else `fingerprints`; de-duplicated. */
export function scopeFingerprints(scope: ValidationScope): string[] | null {
  if (scope.fingerprint !== undefined) {
    return [scope.fingerprint];
  }
  if (scope.fingerprints !== undefined) {
    return [...new Set(scope.fingerprints.filter((f) => f !== null))];
  }
  return null;
}

/** De-duplicated, null-free list (components, entitlements). */
export function distinct(list: readonly (string | null)[]): string[] {
  return [...new Set(list.filter((v): v is string => v !== null))];
}

/** Whether a machine's owner is `user` (UUID-like → by id, otherwise by email). */
function ownedBy(m: MachineFacts, user: string): boolean {
  return isUuidLike(user) ? m.ownerId === normalizeUuid(user) : m.ownerEmail === user;
}

/** The key was sent (a kept null counts: only `user` and `environment` keep one). */
export const has = (scope: ValidationScope, key: keyof ValidationScope): boolean =>
  Object.prototype.hasOwnProperty.call(scope, key) && scope[key] !== undefined;

type Verdict = [boolean, string, ValidationCode];

/** Runs spec 02 §6.3 in order; the first hit wins. */
export function validateLicense(input: ValidationInput): ValidationOutcome {
  const { license, policy } = input;
  if (!license || !policy) {
    return { valid: false, detail: 'does not exist', code: 'NOT_FOUND', touches: null };
  }
  const touches: ValidationTouches = { lastValidatedAt: input.now };
  const [valid, detail, code] = run(license, policy, input, touches);
  return { valid, detail, code, touches };
}

function run(
  l: ValidationLicense,
  p: ValidationPolicy,
  input: ValidationInput,
  touches: ValidationTouches,
): Verdict {
  const { now, facts } = input;
  const expired = l.expiry !== null && l.expiry.getTime() < now.getTime();
  // A null strategy behaves as REVOKE_ACCESS (Keygen's backwards compatibility).
  const revokes = p.expirationStrategy === null || p.expirationStrategy === 'REVOKE_ACCESS';
  const keepsAccess =
    p.expirationStrategy === 'ALLOW_ACCESS' || p.expirationStrategy === 'MAINTAIN_ACCESS';

  // 2–5
  if (l.ownerBanned) {
    return [false, 'is banned', 'BANNED'];
  }
  if (l.suspended) {
    return [false, 'is suspended', 'SUSPENDED'];
  }
  if (revokes && expired) {
    return [false, 'is expired', 'EXPIRED'];
  }
  if (isCheckInOverdue(l.lastCheckInAt, p, now)) {
    return [false, 'is overdue for check in', 'OVERDUE'];
  }

  // 6: scope checks, skipped entirely for quick validation.
  const scope = input.scope;
  if (scope !== null) {
    const failure = checkScope(l, p, scope, facts, now, touches);
    if (failure) {
      return failure;
    }
  }

  // 7: users
  const maxUsers = l.limits.maxUsers;
  if (maxUsers !== null && l.usersCount > maxUsers) {
    return [
      overageAllowed(p.overageStrategy, l.usersCount, maxUsers),
      'has too many associated users',
      'TOO_MANY_USERS',
    ];
  }

  // 8: not strict — machine, core, memory, disk and process limits are not checked.
  if (!p.strict) {
    if (expired) {
      return [keepsAccess, 'is expired', 'EXPIRED'];
    }
    return [true, 'is valid', 'VALID'];
  }

  // 9: strict
  const perUser = p.machineLeasingStrategy === 'PER_USER';
  const bucket = (): MachineTotals => (perUser ? bucketOf(facts) : l.machines);
  const total = l.machines.count;

  if (!p.floating && total === 0) {
    return [false, 'must have exactly 1 associated machine', 'NO_MACHINE'];
  }
  if (!p.floating && total > 1) {
    const limit = l.limits.maxMachines ?? 1;
    const count = bucket().count;
    if (count > limit) {
      // compat: node-locked policies only know these two overage strategies.
      const allowed =
        p.overageStrategy === 'ALWAYS_ALLOW_OVERAGE' ||
        (p.overageStrategy === 'ALLOW_2X_OVERAGE' && count <= limit * 2);
      return [allowed, 'has too many associated machines', 'TOO_MANY_MACHINES'];
    }
  }
  if (p.floating && total === 0) {
    return [false, 'must have at least 1 associated machine', 'NO_MACHINES'];
  }
  if (p.floating && l.limits.maxMachines !== null && total > 1) {
    const limit = l.limits.maxMachines;
    const count = bucket().count;
    if (count > limit) {
      return [
        overageAllowed(p.overageStrategy, count, limit),
        'has too many associated machines',
        'TOO_MANY_MACHINES',
      ];
    }
  }
  const resources: Array<[keyof ValidationLimits, keyof MachineTotals, string, ValidationCode]> = [
    ['maxCores', 'cores', 'has too many associated machine cores', 'TOO_MANY_CORES'],
    ['maxMemory', 'memory', 'has too much associated machine memory', 'TOO_MUCH_MEMORY'],
    ['maxDisk', 'disk', 'has too much associated machine disk', 'TOO_MUCH_DISK'],
  ];
  for (const [limitKey, totalKey, detail, code] of resources) {
    const limit = l.limits[limitKey];
    if (limit === null) {
      continue;
    }
    const count = bucket()[totalKey];
    if (count > limit) {
      return [overageAllowed(p.overageStrategy, count, limit), detail, code];
    }
  }
  if (l.limits.maxProcesses !== null) {
    const [count, limit] = processUsage(l, p, scope, facts, now);
    if (count > limit) {
      return [
        overageAllowed(p.overageStrategy, count, limit),
        'has too many associated processes',
        'TOO_MANY_PROCESSES',
      ];
    }
  }
  if (expired) {
    return [keepsAccess, 'is expired', 'EXPIRED'];
  }
  return [true, 'is valid', 'VALID'];
}

function bucketOf(facts: ScopeFacts): MachineTotals {
  return facts.userBucket ?? { count: 0, cores: 0, memory: 0, disk: 0 };
}

/** §6.3 step 9.8: [count, limit] under the policy's processLeasingStrategy. */
function processUsage(
  l: ValidationLicense,
  p: ValidationPolicy,
  scope: ValidationScope | null,
  facts: ScopeFacts,
  now: Date,
): [number, number] {
  const strategy = p.processLeasingStrategy ?? 'PER_MACHINE';
  const licenseLimit = l.limits.maxProcesses ?? 0;
  const machineUsage = (m: MachineFacts | null | undefined): [number, number] =>
    m
      ? [
          m.processCount,
          m.maxProcesses !== null && m.maxProcesses !== 0 ? m.maxProcesses : licenseLimit,
        ]
      : [0, 0];
  const alive = (m: MachineFacts): boolean => heartbeatStatus(m, p, now) !== 'DEAD';
  switch (strategy) {
    case 'PER_MACHINE':
      if (scope && (has(scope, 'fingerprint') || has(scope, 'fingerprints'))) {
        return machineUsage((facts.fingerprintMachines ?? []).find(alive));
      }
      if (scope && has(scope, 'machine')) {
        const m = facts.machine;
        return machineUsage(m && alive(m) ? m : null);
      }
      return [0, 0];
    case 'PER_LICENSE':
      return [facts.licenseProcesses ?? 0, licenseLimit];
    case 'PER_USER':
      return [facts.userBucket?.processes ?? 0, licenseLimit];
    default:
      return [0, 0];
  }
}

/** §6.3 step 6, 6a–6j. Returns the first failure, or null. */
function checkScope(
  l: ValidationLicense,
  p: ValidationPolicy,
  scope: ValidationScope,
  facts: ScopeFacts,
  now: Date,
  touches: ValidationTouches,
): Verdict | null {
  // 6a environment (null matches a global license)
  if (has(scope, 'environment')) {
    const env = scope.environment ?? null;
    const matches =
      env === null
        ? l.environmentId === null
        : env === l.environmentCode || env === l.environmentId;
    if (!matches) {
      return [false, 'environment scope does not match', 'ENVIRONMENT_SCOPE_MISMATCH'];
    }
  } else if (p.requireEnvironmentScope) {
    return [false, 'environment scope is required', 'ENVIRONMENT_SCOPE_REQUIRED'];
  }

  // 6b product
  if (has(scope, 'product')) {
    if (scope.product !== l.productId) {
      return [false, 'product scope does not match', 'PRODUCT_SCOPE_MISMATCH'];
    }
  } else if (p.requireProductScope) {
    return [false, 'product scope is required', 'PRODUCT_SCOPE_REQUIRED'];
  }

  // 6c policy
  if (has(scope, 'policy')) {
    if (scope.policy !== l.policyId) {
      return [false, 'policy scope does not match', 'POLICY_SCOPE_MISMATCH'];
    }
  } else if (p.requirePolicyScope) {
    return [false, 'policy scope is required', 'POLICY_SCOPE_REQUIRED'];
  }

  // 6d user (null is a value here: it matches a license without an owner)
  const user = has(scope, 'user') ? (scope.user ?? null) : undefined;
  if (user !== undefined) {
    const matches = user === l.ownerId || (user !== null && !!facts.scopeUser);
    if (!matches) {
      return [false, 'user scope does not match', 'USER_SCOPE_MISMATCH'];
    }
  } else if (p.requireUserScope) {
    return [false, 'user scope is required', 'USER_SCOPE_REQUIRED'];
  }

  // 6e entitlements (no "required" flag)
  if (scope.entitlements !== undefined) {
    const codes = distinct(scope.entitlements);
    if (codes.length === 0) {
      return [false, 'entitlements scope is empty', 'ENTITLEMENTS_SCOPE_EMPTY'];
    }
    if ((facts.entitlementMatches ?? 0) !== codes.length) {
      return [false, 'is missing one or more required entitlements', 'ENTITLEMENTS_MISSING'];
    }
  }

  // 6f machine
  if (has(scope, 'machine')) {
    if (!p.floating && l.machines.count === 0) {
      return [false, 'machine is not activated (has no associated machine)', 'NO_MACHINE'];
    }
    if (p.floating && l.machines.count === 0) {
      return [false, 'machine is not activated (has no associated machines)', 'NO_MACHINES'];
    }
    const m = facts.machine ?? null;
    if (!m) {
      return [
        false,
        'machine is not activated (does not match any associated machines)',
        'MACHINE_SCOPE_MISMATCH',
      ];
    }
    // compat: Keygen compares the raw scope value with the owner's id and email here.
    if (
      typeof user === 'string' &&
      m.ownerId !== null &&
      m.ownerId !== user &&
      m.ownerEmail !== user
    ) {
      return [
        false,
        'user scope does not match (does not match associated machine owner)',
        'USER_SCOPE_MISMATCH',
      ];
    }
    const status = heartbeatStatus(m, p, now);
    if (p.requireHeartbeat && status === 'NOT_STARTED') {
      return [false, 'machine heartbeat is required', 'HEARTBEAT_NOT_STARTED'];
    }
    if (status === 'DEAD') {
      return [false, 'machine heartbeat is dead', 'HEARTBEAT_DEAD'];
    }
  } else if (p.requireMachineScope) {
    return [false, 'machine scope is required', 'MACHINE_SCOPE_REQUIRED'];
  }

  // 6g fingerprint(s)
  const fingerprints = scopeFingerprints(scope);
  if (fingerprints !== null) {
    const n = fingerprints.length;
    if (n === 0) {
      return [false, 'fingerprint scope is empty', 'FINGERPRINT_SCOPE_EMPTY'];
    }
    if (!p.floating && l.machines.count === 0) {
      return [false, 'fingerprint is not activated (has no associated machine)', 'NO_MACHINE'];
    }
    if (p.floating && l.machines.count === 0) {
      return [false, 'fingerprint is not activated (has no associated machines)', 'NO_MACHINES'];
    }
    const matched = facts.fingerprintMachines ?? [];
    const statuses = matched.map((m) => heartbeatStatus(m, p, now));
    if (statuses.filter((s) => s === 'DEAD').length === n) {
      return [false, 'machine heartbeat is dead', 'HEARTBEAT_DEAD'];
    }
    const alive = matched.filter((_, i) => statuses[i] !== 'DEAD');
    const mismatch = fingerprintMismatch(p.machineMatchingStrategy, n, alive.length);
    if (mismatch) {
      return [false, mismatch, 'FINGERPRINT_SCOPE_MISMATCH'];
    }
    if (typeof user === 'string' && !alive.every((m) => m.ownerId === null || ownedBy(m, user))) {
      return [
        false,
        'user scope does not match (does not match associated machine owners)',
        'USER_SCOPE_MISMATCH',
      ];
    }
    if (p.requireHeartbeat && alive.some((m) => heartbeatStatus(m, p, now) === 'NOT_STARTED')) {
      return [false, 'machine heartbeat is required', 'HEARTBEAT_NOT_STARTED'];
    }
  } else if (p.requireFingerprintScope) {
    return [false, 'fingerprint scope is required', 'FINGERPRINT_SCOPE_REQUIRED'];
  }

  // 6h components (matched per machine, so the singular fingerprint is required)
  if (scope.components !== undefined) {
    if (scope.fingerprint === undefined) {
      return [
        false,
        'fingerprint scope is required when using the components scope',
        'FINGERPRINT_SCOPE_REQUIRED',
      ];
    }
    const components = distinct(scope.components);
    if (components.length === 0) {
      return [false, 'components scope is empty', 'COMPONENTS_SCOPE_EMPTY'];
    }
    const mismatch = componentMismatch(
      p.componentMatchingStrategy,
      components.length,
      facts.componentMatches ?? 0,
    );
    if (mismatch) {
      return [false, mismatch, 'COMPONENTS_SCOPE_MISMATCH'];
    }
  } else if (p.requireComponentsScope) {
    return [false, 'components scope is required', 'COMPONENTS_SCOPE_REQUIRED'];
  }

  // 6i checksum
  if (has(scope, 'checksum')) {
    const release = facts.checksumRelease ?? null;
    if (!release) {
      return [
        false,
        'checksum scope is not valid (does not match any accessible artifacts)',
        'CHECKSUM_SCOPE_MISMATCH',
      ];
    }
    touches.lastValidatedChecksum = scope.checksum;
    touches.lastValidatedVersion = release.version;
  } else if (p.requireChecksumScope) {
    return [false, 'checksum scope is required', 'CHECKSUM_SCOPE_REQUIRED'];
  }

  // 6j version
  if (has(scope, 'version')) {
    const release = facts.versionRelease ?? null;
    if (!release) {
      return [
        false,
        'version scope is not valid (does not match any accessible releases)',
        'VERSION_SCOPE_MISMATCH',
      ];
    }
    touches.lastValidatedVersion = release.version;
  } else if (p.requireVersionScope) {
    return [false, 'version scope is required', 'VERSION_SCOPE_REQUIRED'];
  }
  return null;
}

const FP_PREFIX = 'one or more fingerprint is not activated';

/** §6.3 6g.4: the detail when the alive matches fall short, else null. */
function fingerprintMismatch(strategy: string | null, n: number, alive: number): string | null {
  if (n > 1) {
    switch (strategy) {
      case 'MATCH_MOST':
        return alive < Math.ceil(n / 2)
          ? `${FP_PREFIX} (does not match enough associated machines)`
          : null;
      case 'MATCH_TWO':
        return alive < 2 ? `${FP_PREFIX} (does not match at least 2 associated machines)` : null;
      case 'MATCH_ALL':
        return alive < n ? `${FP_PREFIX} (does not match all associated machines)` : null;
      case null:
      case 'MATCH_ANY':
        return alive === 0 ? `${FP_PREFIX} (does not match any associated machines)` : null;
      default:
        break;
    }
  }
  return alive === 0
    ? 'fingerprint is not activated (does not match any associated machines)'
    : null;
}

const COMPONENT_PREFIX = 'one or more component is not activated';

/** §6.3 6h.3: the strategy applies even to a single component. */
function componentMismatch(strategy: string | null, n: number, matched: number): string | null {
  switch (strategy) {
    case 'MATCH_MOST':
      return matched < Math.ceil(n / 2)
        ? `${COMPONENT_PREFIX} (does not match enough associated components)`
        : null;
    case 'MATCH_TWO':
      return matched < 2
        ? `${COMPONENT_PREFIX} (does not match at least 2 associated components)`
        : null;
    case 'MATCH_ALL':
      return matched < n ? `${COMPONENT_PREFIX} (does not match all associated components)` : null;
    default:
      return matched === 0
        ? `${COMPONENT_PREFIX} (does not match any associated components)`
        : null;
  }
}

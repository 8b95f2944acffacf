import { heartbeatStatus } from '@app/modules/machines/machine-heartbeat';
import {
  VALIDATION_CODES,
  isCheckInOverdue,
  overageAllowed,
  validateLicense,
  type MachineFacts,
  type ScopeFacts,
  type ValidationCode,
  type ValidationLicense,
  type ValidationPolicy,
  type ValidationScope,
} from './license-validation';

const NOW = new Date('2024-06-01T12:00:00.000Z');
const ago = (seconds: number): Date => new Date(NOW.getTime() - seconds * 1000);
const later = (seconds: number): Date => new Date(NOW.getTime() + seconds * 1000);

const PRODUCT = '11111111-1111-4111-8111-111111111111';
const POLICY = '22222222-2222-4222-8222-222222222222';
const OWNER = '33333333-3333-4333-8333-333333333333';
const OTHER = '44444444-4444-4444-8444-444444444444';
const ENV = '55555555-5555-4555-8555-555555555555';

/** A policy with the defaults a policy created through the API gets. */
function policy(over: Partial<ValidationPolicy> = {}): ValidationPolicy {
  return {
    id: POLICY,
    strict: false,
    floating: false,
    requireProductScope: false,
    requirePolicyScope: false,
    requireMachineScope: false,
    requireFingerprintScope: false,
    requireComponentsScope: false,
    requireUserScope: false,
    requireChecksumScope: false,
    requireVersionScope: false,
    requireCheckIn: false,
    checkInInterval: null,
    checkInIntervalCount: null,
    requireHeartbeat: false,
    heartbeatDuration: null,
    machineMatchingStrategy: 'MATCH_ANY',
    componentMatchingStrategy: 'MATCH_ANY',
    expirationStrategy: 'RESTRICT_ACCESS',
    machineLeasingStrategy: 'PER_LICENSE',
    processLeasingStrategy: 'PER_MACHINE',
    overageStrategy: 'NO_OVERAGE',
    ...over,
  };
}

function license(over: Partial<ValidationLicense> = {}): ValidationLicense {
  return {
    id: '66666666-6666-4666-8666-666666666666',
    environmentId: null,
    environmentCode: null,
    productId: PRODUCT,
    policyId: POLICY,
    ownerId: null,
    ownerBanned: false,
    suspended: false,
    expiry: null,
    lastCheckInAt: null,
    limits: {
      maxMachines: 1,
      maxProcesses: null,
      maxUsers: null,
      maxCores: null,
      maxMemory: null,
      maxDisk: null,
    },
    usersCount: 0,
    machines: { count: 0, cores: 0, memory: 0, disk: 0 },
    ...over,
  };
}

let seq = 0;
function machine(over: Partial<MachineFacts> = {}): MachineFacts {
  seq++;
  return {
    id: `77777777-7777-4777-8777-${String(seq).padStart(12, '0')}`,
    fingerprint: `fp-${seq}`,
    ownerId: null,
    ownerEmail: null,
    createdAt: ago(60),
    lastHeartbeatAt: null,
    maxProcesses: null,
    processCount: 0,
    ...over,
  };
}

const machines = (count: number, extra: Partial<ValidationLicense['machines']> = {}) => ({
  machines: { count, cores: 0, memory: 0, disk: 0, ...extra },
});
const limits = (over: Partial<ValidationLicense['limits']>): Partial<ValidationLicense> => ({
  limits: { ...license().limits, ...over },
});
const alive = (over: Partial<MachineFacts> = {}) => machine({ lastHeartbeatAt: ago(10), ...over });
const dead = (over: Partial<MachineFacts> = {}) => machine({ lastHeartbeatAt: ago(3600), ...over });

interface Case {
  name: string;
  license?: Partial<ValidationLicense> | null;
  policy?: Partial<ValidationPolicy>;
  /** undefined = a POST without scope ({}); null = quick validation. */
  scope?: ValidationScope | null;
  facts?: ScopeFacts;
  expect: [boolean, ValidationCode, string?];
}

const EXPIRED = { expiry: ago(60) };
const STRATEGIES = ['REVOKE_ACCESS', 'RESTRICT_ACCESS', 'MAINTAIN_ACCESS', 'ALLOW_ACCESS'] as const;

const CASES: Case[] = [
  // 1–5
  { name: 'no license', license: null, expect: [false, 'NOT_FOUND', 'does not exist'] },
  { name: 'a plain license', expect: [true, 'VALID', 'is valid'] },
  {
    name: 'a banned owner',
    license: { ownerBanned: true },
    expect: [false, 'BANNED', 'is banned'],
  },
  {
    name: 'banned beats suspended',
    license: { ownerBanned: true, suspended: true },
    expect: [false, 'BANNED'],
  },
  { name: 'suspended', license: { suspended: true }, expect: [false, 'SUSPENDED', 'is suspended'] },
  {
    name: 'suspended + expired (revoke) is SUSPENDED',
    license: { suspended: true, ...EXPIRED },
    policy: { expirationStrategy: 'REVOKE_ACCESS' },
    expect: [false, 'SUSPENDED'],
  },
  {
    name: 'expired under REVOKE_ACCESS',
    license: EXPIRED,
    policy: { expirationStrategy: 'REVOKE_ACCESS' },
    expect: [false, 'EXPIRED', 'is expired'],
  },
  {
    name: 'expired with no strategy behaves as REVOKE_ACCESS',
    license: EXPIRED,
    policy: { expirationStrategy: null },
    expect: [false, 'EXPIRED'],
  },
  {
    name: 'not expired at the exact expiry instant',
    license: { expiry: NOW },
    policy: { expirationStrategy: 'REVOKE_ACCESS' },
    expect: [true, 'VALID'],
  },
  {
    name: 'REVOKE_ACCESS expired beats overdue',
    license: { ...EXPIRED, lastCheckInAt: ago(3 * 86400) },
    policy: {
      expirationStrategy: 'REVOKE_ACCESS',
      requireCheckIn: true,
      checkInInterval: 'day',
      checkInIntervalCount: 1,
    },
    expect: [false, 'EXPIRED'],
  },
  {
    name: 'REVOKE_ACCESS expired beats a scope mismatch',
    license: EXPIRED,
    policy: { expirationStrategy: 'REVOKE_ACCESS' },
    scope: { product: OTHER },
    expect: [false, 'EXPIRED'],
  },
  {
    name: 'REVOKE_ACCESS expired beats too many users',
    license: { ...EXPIRED, ...limits({ maxUsers: 1 }), usersCount: 3 },
    policy: { expirationStrategy: 'REVOKE_ACCESS' },
    expect: [false, 'EXPIRED'],
  },
  {
    name: 'REVOKE_ACCESS expired beats too many machines',
    license: { ...EXPIRED, ...machines(3) },
    policy: { expirationStrategy: 'REVOKE_ACCESS', strict: true },
    expect: [false, 'EXPIRED'],
  },
  {
    name: 'overdue for check-in',
    license: { lastCheckInAt: ago(2 * 86400) },
    policy: { requireCheckIn: true, checkInInterval: 'day', checkInIntervalCount: 1 },
    expect: [false, 'OVERDUE', 'is overdue for check in'],
  },
  {
    name: 'checked in within the interval',
    license: { lastCheckInAt: ago(3600) },
    policy: { requireCheckIn: true, checkInInterval: 'day', checkInIntervalCount: 1 },
    expect: [true, 'VALID'],
  },
  {
    name: 'no check-in recorded is never overdue',
    policy: { requireCheckIn: true, checkInInterval: 'day', checkInIntervalCount: 1 },
    expect: [true, 'VALID'],
  },
  {
    name: 'overdue beats a scope requirement',
    license: { lastCheckInAt: ago(8 * 86400) },
    policy: {
      requireCheckIn: true,
      checkInInterval: 'week',
      checkInIntervalCount: 1,
      requireProductScope: true,
    },
    expect: [false, 'OVERDUE'],
  },

  // 6: quick validation skips every scope check
  {
    name: 'quick validation ignores scope requirements',
    policy: { requireProductScope: true, requireFingerprintScope: true },
    scope: null,
    expect: [true, 'VALID'],
  },

  // 6a environment
  {
    name: 'environment scope by code',
    license: { environmentId: ENV, environmentCode: 'prod' },
    scope: { environment: 'prod' },
    expect: [true, 'VALID'],
  },
  {
    name: 'environment scope by id',
    license: { environmentId: ENV, environmentCode: 'prod' },
    scope: { environment: ENV },
    expect: [true, 'VALID'],
  },
  {
    name: 'environment scope null matches a global license',
    scope: { environment: null },
    expect: [true, 'VALID'],
  },
  {
    name: 'environment scope null on an environment license',
    license: { environmentId: ENV, environmentCode: 'prod' },
    scope: { environment: null },
    expect: [false, 'ENVIRONMENT_SCOPE_MISMATCH', 'environment scope does not match'],
  },
  {
    name: 'environment scope on a global license',
    scope: { environment: 'prod' },
    expect: [false, 'ENVIRONMENT_SCOPE_MISMATCH'],
  },
  {
    name: 'environment scope required',
    policy: { requireEnvironmentScope: true },
    expect: [false, 'ENVIRONMENT_SCOPE_REQUIRED', 'environment scope is required'],
  },

  // 6b product, 6c policy
  { name: 'product scope matches', scope: { product: PRODUCT }, expect: [true, 'VALID'] },
  {
    name: 'product scope mismatch',
    scope: { product: OTHER },
    expect: [false, 'PRODUCT_SCOPE_MISMATCH', 'product scope does not match'],
  },
  {
    name: 'product scope required',
    policy: { requireProductScope: true },
    scope: {},
    expect: [false, 'PRODUCT_SCOPE_REQUIRED', 'product scope is required'],
  },
  {
    name: 'product mismatch beats policy mismatch',
    scope: { product: OTHER, policy: OTHER },
    expect: [false, 'PRODUCT_SCOPE_MISMATCH'],
  },
  { name: 'policy scope matches', scope: { policy: POLICY }, expect: [true, 'VALID'] },
  {
    name: 'policy scope mismatch',
    scope: { policy: OTHER },
    expect: [false, 'POLICY_SCOPE_MISMATCH', 'policy scope does not match'],
  },
  {
    name: 'policy scope required',
    policy: { requirePolicyScope: true },
    expect: [false, 'POLICY_SCOPE_REQUIRED', 'policy scope is required'],
  },

  // 6d user
  {
    name: 'user scope equal to the owner id',
    license: { ownerId: OWNER, usersCount: 1 },
    scope: { user: OWNER },
    expect: [true, 'VALID'],
  },
  {
    name: 'user scope naming a licensee by email',
    license: { ownerId: OWNER, usersCount: 2 },
    scope: { user: 'licensee@example.com' },
    facts: { scopeUser: { id: OTHER, email: 'licensee@example.com' } },
    expect: [true, 'VALID'],
  },
  {
    name: 'user scope naming someone else',
    license: { ownerId: OWNER, usersCount: 1 },
    scope: { user: OTHER },
    facts: { scopeUser: null },
    expect: [false, 'USER_SCOPE_MISMATCH', 'user scope does not match'],
  },
  {
    name: 'user scope null matches a license without an owner',
    scope: { user: null },
    expect: [true, 'VALID'],
  },
  {
    name: 'user scope null on an owned license',
    license: { ownerId: OWNER, usersCount: 1 },
    scope: { user: null },
    expect: [false, 'USER_SCOPE_MISMATCH'],
  },
  {
    name: 'user scope required',
    policy: { requireUserScope: true },
    expect: [false, 'USER_SCOPE_REQUIRED', 'user scope is required'],
  },

  // 6e entitlements
  {
    name: 'empty entitlements scope',
    scope: { entitlements: [] },
    expect: [false, 'ENTITLEMENTS_SCOPE_EMPTY', 'entitlements scope is empty'],
  },
  {
    name: 'missing an entitlement',
    scope: { entitlements: ['A', 'B'] },
    facts: { entitlementMatches: 1 },
    expect: [false, 'ENTITLEMENTS_MISSING', 'is missing one or more required entitlements'],
  },
  {
    name: 'duplicate entitlement codes count once',
    scope: { entitlements: ['A', 'A', 'B'] },
    facts: { entitlementMatches: 2 },
    expect: [true, 'VALID'],
  },

  // 6f machine
  {
    name: 'machine scope on a node-locked license without machines',
    scope: { machine: OTHER },
    expect: [false, 'NO_MACHINE', 'machine is not activated (has no associated machine)'],
  },
  {
    name: 'machine scope on a floating license without machines',
    policy: { floating: true },
    scope: { machine: OTHER },
    expect: [false, 'NO_MACHINES', 'machine is not activated (has no associated machines)'],
  },
  {
    name: 'machine scope naming no machine of the license',
    license: machines(1),
    scope: { machine: OTHER },
    facts: { machine: null },
    expect: [
      false,
      'MACHINE_SCOPE_MISMATCH',
      'machine is not activated (does not match any associated machines)',
    ],
  },
  {
    name: 'machine scope with a user scope that is not the machine owner',
    license: { ...machines(1), ownerId: OWNER, usersCount: 1 },
    scope: { machine: OTHER, user: OWNER },
    facts: { machine: alive({ ownerId: OTHER, ownerEmail: 'x@example.com' }) },
    expect: [
      false,
      'USER_SCOPE_MISMATCH',
      'user scope does not match (does not match associated machine owner)',
    ],
  },
  {
    name: 'machine scope with the machine owner by email',
    license: { ...machines(1), ownerId: OWNER, usersCount: 2 },
    scope: { machine: OTHER, user: 'x@example.com' },
    facts: {
      scopeUser: { id: OTHER, email: 'x@example.com' },
      machine: alive({ ownerId: OTHER, ownerEmail: 'x@example.com' }),
    },
    expect: [true, 'VALID'],
  },
  {
    name: 'machine scope on a never-pinged machine of a require-heartbeat policy',
    license: machines(1),
    policy: { requireHeartbeat: true },
    scope: { machine: OTHER },
    facts: { machine: machine() },
    expect: [false, 'HEARTBEAT_NOT_STARTED', 'machine heartbeat is required'],
  },
  {
    name: 'machine scope on a never-pinged machine without require-heartbeat',
    license: machines(1),
    scope: { machine: OTHER },
    facts: { machine: machine() },
    expect: [true, 'VALID'],
  },
  {
    name: 'machine scope on a dead machine',
    license: machines(1),
    scope: { machine: OTHER },
    facts: { machine: dead() },
    expect: [false, 'HEARTBEAT_DEAD', 'machine heartbeat is dead'],
  },
  {
    name: 'machine scope on a never-pinged machine past the window (require-heartbeat)',
    license: machines(1),
    policy: { requireHeartbeat: true },
    scope: { machine: OTHER },
    facts: { machine: machine({ createdAt: ago(700) }) },
    expect: [false, 'HEARTBEAT_DEAD'],
  },
  {
    name: 'machine scope required',
    policy: { requireMachineScope: true },
    expect: [false, 'MACHINE_SCOPE_REQUIRED', 'machine scope is required'],
  },

  // 6g fingerprint(s)
  {
    name: 'empty fingerprints',
    scope: { fingerprints: [] },
    expect: [false, 'FINGERPRINT_SCOPE_EMPTY', 'fingerprint scope is empty'],
  },
  {
    name: 'fingerprint on a node-locked license without machines',
    scope: { fingerprint: 'a' },
    expect: [false, 'NO_MACHINE', 'fingerprint is not activated (has no associated machine)'],
  },
  {
    name: 'fingerprint on a floating license without machines',
    policy: { floating: true },
    scope: { fingerprint: 'a' },
    expect: [false, 'NO_MACHINES', 'fingerprint is not activated (has no associated machines)'],
  },
  {
    name: 'one fingerprint matching nothing',
    license: machines(1),
    scope: { fingerprint: 'a' },
    facts: { fingerprintMachines: [] },
    expect: [
      false,
      'FINGERPRINT_SCOPE_MISMATCH',
      'fingerprint is not activated (does not match any associated machines)',
    ],
  },
  {
    name: 'one fingerprint matching a machine',
    license: machines(1),
    scope: { fingerprint: 'a' },
    facts: { fingerprintMachines: [machine({ fingerprint: 'a' })] },
    expect: [true, 'VALID'],
  },
  {
    name: 'every fingerprint on a dead machine',
    license: machines(2),
    scope: { fingerprints: ['a', 'b'] },
    facts: { fingerprintMachines: [dead(), dead()] },
    expect: [false, 'HEARTBEAT_DEAD', 'machine heartbeat is dead'],
  },
  {
    name: 'one dead and one alive (MATCH_ANY)',
    license: machines(2),
    scope: { fingerprints: ['a', 'b'] },
    facts: { fingerprintMachines: [dead(), alive()] },
    expect: [true, 'VALID'],
  },
  {
    name: 'MATCH_ANY with none alive among several fingerprints',
    license: machines(2),
    scope: { fingerprints: ['a', 'b', 'c'] },
    facts: { fingerprintMachines: [dead()] },
    expect: [
      false,
      'FINGERPRINT_SCOPE_MISMATCH',
      'one or more fingerprint is not activated (does not match any associated machines)',
    ],
  },
  {
    name: 'MATCH_ANY when the strategy is unset',
    license: machines(2),
    policy: { machineMatchingStrategy: null },
    scope: { fingerprints: ['a', 'b'] },
    facts: { fingerprintMachines: [] },
    expect: [
      false,
      'FINGERPRINT_SCOPE_MISMATCH',
      'one or more fingerprint is not activated (does not match any associated machines)',
    ],
  },
  {
    name: 'MATCH_MOST 2 of 3',
    license: machines(3),
    policy: { machineMatchingStrategy: 'MATCH_MOST' },
    scope: { fingerprints: ['a', 'b', 'c'] },
    facts: { fingerprintMachines: [alive(), alive()] },
    expect: [true, 'VALID'],
  },
  {
    name: 'MATCH_MOST 2 of 4 (half is enough)',
    license: machines(3),
    policy: { machineMatchingStrategy: 'MATCH_MOST' },
    scope: { fingerprints: ['a', 'b', 'c', 'd'] },
    facts: { fingerprintMachines: [alive(), alive()] },
    expect: [true, 'VALID'],
  },
  {
    name: 'MATCH_MOST 1 of 3',
    license: machines(3),
    policy: { machineMatchingStrategy: 'MATCH_MOST' },
    scope: { fingerprints: ['a', 'b', 'c'] },
    facts: { fingerprintMachines: [alive()] },
    expect: [
      false,
      'FINGERPRINT_SCOPE_MISMATCH',
      'one or more fingerprint is not activated (does not match enough associated machines)',
    ],
  },
  {
    name: 'MATCH_MOST with a single fingerprint uses the single rule',
    license: machines(1),
    policy: { machineMatchingStrategy: 'MATCH_MOST' },
    scope: { fingerprints: ['a'] },
    facts: { fingerprintMachines: [alive()] },
    expect: [true, 'VALID'],
  },
  {
    name: 'MATCH_TWO 1 of 2',
    license: machines(2),
    policy: { machineMatchingStrategy: 'MATCH_TWO' },
    scope: { fingerprints: ['a', 'b'] },
    facts: { fingerprintMachines: [alive()] },
    expect: [
      false,
      'FINGERPRINT_SCOPE_MISMATCH',
      'one or more fingerprint is not activated (does not match at least 2 associated machines)',
    ],
  },
  {
    name: 'MATCH_TWO 2 of 5',
    license: machines(2),
    policy: { machineMatchingStrategy: 'MATCH_TWO' },
    scope: { fingerprints: ['a', 'b', 'c', 'd', 'e'] },
    facts: { fingerprintMachines: [alive(), alive()] },
    expect: [true, 'VALID'],
  },
  {
    name: 'MATCH_ALL 2 of 3',
    license: machines(3),
    policy: { machineMatchingStrategy: 'MATCH_ALL' },
    scope: { fingerprints: ['a', 'b', 'c'] },
    facts: { fingerprintMachines: [alive(), alive(), dead()] },
    expect: [
      false,
      'FINGERPRINT_SCOPE_MISMATCH',
      'one or more fingerprint is not activated (does not match all associated machines)',
    ],
  },
  {
    name: 'MATCH_ALL with duplicates counts distinct fingerprints',
    license: machines(2),
    policy: { machineMatchingStrategy: 'MATCH_ALL' },
    scope: { fingerprints: ['a', 'b', 'a'] },
    facts: { fingerprintMachines: [alive(), alive()] },
    expect: [true, 'VALID'],
  },
  {
    name: 'fingerprint wins over fingerprints',
    license: machines(2),
    policy: { machineMatchingStrategy: 'MATCH_ALL' },
    scope: { fingerprint: 'a', fingerprints: ['a', 'b', 'c'] },
    facts: { fingerprintMachines: [alive()] },
    expect: [true, 'VALID'],
  },
  {
    name: 'fingerprints owned by another user',
    license: { ...machines(2), ownerId: OWNER, usersCount: 1 },
    scope: { fingerprints: ['a', 'b'], user: OWNER },
    facts: { fingerprintMachines: [alive(), alive({ ownerId: OTHER })] },
    expect: [
      false,
      'USER_SCOPE_MISMATCH',
      'user scope does not match (does not match associated machine owners)',
    ],
  },
  {
    name: 'ownerless and own machines satisfy the user scope',
    license: { ...machines(2), ownerId: OWNER, usersCount: 1 },
    scope: { fingerprints: ['a', 'b'], user: OWNER.toUpperCase() },
    facts: {
      scopeUser: { id: OWNER, email: 'o@example.com' },
      fingerprintMachines: [alive(), alive({ ownerId: OWNER })],
    },
    expect: [true, 'VALID'],
  },
  {
    name: 'a never-pinged fingerprint of a require-heartbeat policy',
    license: machines(1),
    policy: { requireHeartbeat: true },
    scope: { fingerprint: 'a' },
    facts: { fingerprintMachines: [machine()] },
    expect: [false, 'HEARTBEAT_NOT_STARTED', 'machine heartbeat is required'],
  },
  {
    name: 'fingerprint scope required',
    policy: { requireFingerprintScope: true },
    expect: [false, 'FINGERPRINT_SCOPE_REQUIRED', 'fingerprint scope is required'],
  },

  // 6h components
  {
    name: 'components with fingerprints only',
    license: machines(1),
    scope: { fingerprints: ['a'], components: ['c1'] },
    facts: { fingerprintMachines: [alive()] },
    expect: [
      false,
      'FINGERPRINT_SCOPE_REQUIRED',
      'fingerprint scope is required when using the components scope',
    ],
  },
  {
    name: 'empty components',
    license: machines(1),
    scope: { fingerprint: 'a', components: [] },
    facts: { fingerprintMachines: [alive()] },
    expect: [false, 'COMPONENTS_SCOPE_EMPTY', 'components scope is empty'],
  },
  {
    name: 'components matching none (MATCH_ANY)',
    license: machines(1),
    scope: { fingerprint: 'a', components: ['c1', 'c2'] },
    facts: { fingerprintMachines: [alive()], componentMatches: 0 },
    expect: [
      false,
      'COMPONENTS_SCOPE_MISMATCH',
      'one or more component is not activated (does not match any associated components)',
    ],
  },
  {
    name: 'components matching one (MATCH_ANY)',
    license: machines(1),
    scope: { fingerprint: 'a', components: ['c1', 'c2'] },
    facts: { fingerprintMachines: [alive()], componentMatches: 1 },
    expect: [true, 'VALID'],
  },
  {
    name: 'MATCH_TWO applies even to a single component',
    license: machines(1),
    policy: { componentMatchingStrategy: 'MATCH_TWO' },
    scope: { fingerprint: 'a', components: ['c1'] },
    facts: { fingerprintMachines: [alive()], componentMatches: 1 },
    expect: [
      false,
      'COMPONENTS_SCOPE_MISMATCH',
      'one or more component is not activated (does not match at least 2 associated components)',
    ],
  },
  {
    name: 'components MATCH_MOST 1 of 3',
    license: machines(1),
    policy: { componentMatchingStrategy: 'MATCH_MOST' },
    scope: { fingerprint: 'a', components: ['c1', 'c2', 'c3'] },
    facts: { fingerprintMachines: [alive()], componentMatches: 1 },
    expect: [
      false,
      'COMPONENTS_SCOPE_MISMATCH',
      'one or more component is not activated (does not match enough associated components)',
    ],
  },
  {
    name: 'components MATCH_MOST 2 of 3',
    license: machines(1),
    policy: { componentMatchingStrategy: 'MATCH_MOST' },
    scope: { fingerprint: 'a', components: ['c1', 'c2', 'c3'] },
    facts: { fingerprintMachines: [alive()], componentMatches: 2 },
    expect: [true, 'VALID'],
  },
  {
    name: 'components MATCH_ALL 1 of 2',
    license: machines(1),
    policy: { componentMatchingStrategy: 'MATCH_ALL' },
    scope: { fingerprint: 'a', components: ['c1', 'c2', 'c2'] },
    facts: { fingerprintMachines: [alive()], componentMatches: 1 },
    expect: [
      false,
      'COMPONENTS_SCOPE_MISMATCH',
      'one or more component is not activated (does not match all associated components)',
    ],
  },
  {
    name: 'components MATCH_ALL 2 of 2 (duplicates dropped)',
    license: machines(1),
    policy: { componentMatchingStrategy: 'MATCH_ALL' },
    scope: { fingerprint: 'a', components: ['c1', 'c2', 'c2'] },
    facts: { fingerprintMachines: [alive()], componentMatches: 2 },
    expect: [true, 'VALID'],
  },
  {
    name: 'components scope required',
    policy: { requireComponentsScope: true },
    expect: [false, 'COMPONENTS_SCOPE_REQUIRED', 'components scope is required'],
  },

  // 6i checksum, 6j version
  {
    name: 'checksum matching no artifact',
    scope: { checksum: 'abc' },
    facts: { checksumRelease: null },
    expect: [
      false,
      'CHECKSUM_SCOPE_MISMATCH',
      'checksum scope is not valid (does not match any accessible artifacts)',
    ],
  },
  {
    name: 'checksum scope required',
    policy: { requireChecksumScope: true },
    expect: [false, 'CHECKSUM_SCOPE_REQUIRED', 'checksum scope is required'],
  },
  {
    name: 'version matching no release',
    scope: { version: '1.0.0' },
    facts: { versionRelease: null },
    expect: [
      false,
      'VERSION_SCOPE_MISMATCH',
      'version scope is not valid (does not match any accessible releases)',
    ],
  },
  {
    name: 'version scope required',
    policy: { requireVersionScope: true },
    expect: [false, 'VERSION_SCOPE_REQUIRED', 'version scope is required'],
  },

  // 7 users
  {
    name: 'too many users (NO_OVERAGE)',
    license: { ...limits({ maxUsers: 1 }), usersCount: 2 },
    expect: [false, 'TOO_MANY_USERS', 'has too many associated users'],
  },
  {
    name: 'too many users within ALLOW_2X_OVERAGE',
    license: { ...limits({ maxUsers: 1 }), usersCount: 2 },
    policy: { overageStrategy: 'ALLOW_2X_OVERAGE' },
    expect: [true, 'TOO_MANY_USERS'],
  },
  {
    name: 'too many users past ALLOW_2X_OVERAGE',
    license: { ...limits({ maxUsers: 1 }), usersCount: 3 },
    policy: { overageStrategy: 'ALLOW_2X_OVERAGE' },
    expect: [false, 'TOO_MANY_USERS'],
  },
  {
    name: 'too many users with ALWAYS_ALLOW_OVERAGE',
    license: { ...limits({ maxUsers: 1 }), usersCount: 9 },
    policy: { overageStrategy: 'ALWAYS_ALLOW_OVERAGE' },
    expect: [true, 'TOO_MANY_USERS'],
  },
  {
    name: 'a user limit of 0 counts the owner',
    license: { ...limits({ maxUsers: 0 }), ownerId: OWNER, usersCount: 1 },
    expect: [false, 'TOO_MANY_USERS'],
  },

  // 8 not strict
  {
    name: 'non-strict with too many machines is valid',
    license: { ...machines(5, { cores: 64 }), ...limits({ maxMachines: 1, maxCores: 2 }) },
    expect: [true, 'VALID'],
  },
  ...STRATEGIES.filter((s) => s !== 'REVOKE_ACCESS').map((s): Case => ({
    name: `non-strict expired under ${s}`,
    license: EXPIRED,
    policy: { expirationStrategy: s },
    expect: [s !== 'RESTRICT_ACCESS', 'EXPIRED', 'is expired'],
  })),

  // 9 strict
  {
    name: 'strict node-locked without a machine',
    policy: { strict: true },
    expect: [false, 'NO_MACHINE', 'must have exactly 1 associated machine'],
  },
  {
    name: 'strict floating without a machine',
    policy: { strict: true, floating: true },
    license: limits({ maxMachines: null }),
    expect: [false, 'NO_MACHINES', 'must have at least 1 associated machine'],
  },
  ...STRATEGIES.map((s): Case => ({
    name: `expired + strict without a machine under ${s}`,
    license: EXPIRED,
    policy: { strict: true, expirationStrategy: s },
    expect: s === 'REVOKE_ACCESS' ? [false, 'EXPIRED'] : [false, 'NO_MACHINE'],
  })),
  ...STRATEGIES.map((s): Case => ({
    name: `expired + strict floating without a machine under ${s}`,
    license: { ...EXPIRED, ...limits({ maxMachines: null }) },
    policy: { strict: true, floating: true, expirationStrategy: s },
    expect: s === 'REVOKE_ACCESS' ? [false, 'EXPIRED'] : [false, 'NO_MACHINES'],
  })),
  {
    name: 'strict node-locked with one machine',
    license: machines(1),
    policy: { strict: true },
    expect: [true, 'VALID'],
  },
  {
    name: 'strict node-locked with two machines',
    license: machines(2),
    policy: { strict: true },
    expect: [false, 'TOO_MANY_MACHINES', 'has too many associated machines'],
  },
  {
    name: 'node-locked within ALLOW_2X_OVERAGE',
    license: machines(2),
    policy: { strict: true, overageStrategy: 'ALLOW_2X_OVERAGE' },
    expect: [true, 'TOO_MANY_MACHINES'],
  },
  {
    name: 'node-locked past ALLOW_2X_OVERAGE',
    license: machines(3),
    policy: { strict: true, overageStrategy: 'ALLOW_2X_OVERAGE' },
    expect: [false, 'TOO_MANY_MACHINES'],
  },
  {
    name: 'node-locked ignores ALLOW_1_5X_OVERAGE',
    license: machines(2, {}),
    policy: { strict: true, overageStrategy: 'ALLOW_1_5X_OVERAGE' },
    expect: [false, 'TOO_MANY_MACHINES'],
  },
  {
    name: 'node-locked with ALWAYS_ALLOW_OVERAGE',
    license: machines(7),
    policy: { strict: true, overageStrategy: 'ALWAYS_ALLOW_OVERAGE' },
    expect: [true, 'TOO_MANY_MACHINES'],
  },
  {
    name: 'node-locked without maxMachines counts against 1',
    license: { ...machines(2), ...limits({ maxMachines: null }) },
    policy: { strict: true },
    expect: [false, 'TOO_MANY_MACHINES'],
  },
  ...(
    [
      ['ALLOW_1_25X_OVERAGE', 4, 5, true],
      ['ALLOW_1_25X_OVERAGE', 4, 6, false],
      ['ALLOW_1_5X_OVERAGE', 2, 3, true],
      ['ALLOW_1_5X_OVERAGE', 2, 4, false],
      ['ALLOW_2X_OVERAGE', 2, 4, true],
      ['ALLOW_2X_OVERAGE', 2, 5, false],
      ['NO_OVERAGE', 2, 3, false],
      ['ALWAYS_ALLOW_OVERAGE', 2, 100, true],
    ] as const
  ).map(([strategy, limit, count, valid]): Case => ({
    name: `floating ${count} machines over ${limit} under ${strategy}`,
    license: { ...machines(count), ...limits({ maxMachines: limit }) },
    policy: { strict: true, floating: true, overageStrategy: strategy },
    expect: [valid, 'TOO_MANY_MACHINES'],
  })),
  {
    name: 'floating without maxMachines has no machine limit',
    license: { ...machines(50), ...limits({ maxMachines: null }) },
    policy: { strict: true, floating: true },
    expect: [true, 'VALID'],
  },
  {
    name: 'PER_USER leasing counts the scoped user bucket',
    license: { ...machines(5), ...limits({ maxMachines: 2 }), ownerId: OWNER, usersCount: 1 },
    policy: { strict: true, floating: true, machineLeasingStrategy: 'PER_USER' },
    scope: { user: OWNER },
    facts: {
      scopeUser: { id: OWNER, email: 'o@example.com' },
      userBucket: { count: 2, cores: 0, memory: 0, disk: 0, processes: 0 },
    },
    expect: [true, 'VALID'],
  },
  {
    name: 'PER_USER leasing over the limit',
    license: { ...machines(5), ...limits({ maxMachines: 2 }) },
    policy: { strict: true, floating: true, machineLeasingStrategy: 'PER_USER' },
    facts: { userBucket: { count: 3, cores: 0, memory: 0, disk: 0, processes: 0 } },
    expect: [false, 'TOO_MANY_MACHINES'],
  },
  ...(
    [
      ['maxCores', 'cores', 'TOO_MANY_CORES', 'has too many associated machine cores'],
      ['maxMemory', 'memory', 'TOO_MUCH_MEMORY', 'has too much associated machine memory'],
      ['maxDisk', 'disk', 'TOO_MUCH_DISK', 'has too much associated machine disk'],
    ] as const
  ).flatMap(([limitKey, totalKey, code, detail]): Case[] => [
    {
      name: `${code} (NO_OVERAGE)`,
      license: { ...machines(1, { [totalKey]: 5 }), ...limits({ [limitKey]: 4 }) },
      policy: { strict: true },
      expect: [false, code, detail],
    },
    {
      name: `${code} at the limit`,
      license: { ...machines(1, { [totalKey]: 4 }), ...limits({ [limitKey]: 4 }) },
      policy: { strict: true },
      expect: [true, 'VALID'],
    },
    {
      name: `${code} within ALLOW_1_25X_OVERAGE`,
      license: { ...machines(1, { [totalKey]: 5 }), ...limits({ [limitKey]: 4 }) },
      policy: { strict: true, overageStrategy: 'ALLOW_1_25X_OVERAGE' },
      expect: [true, code],
    },
    {
      name: `${code} past ALLOW_1_5X_OVERAGE`,
      license: { ...machines(1, { [totalKey]: 7 }), ...limits({ [limitKey]: 4 }) },
      policy: { strict: true, overageStrategy: 'ALLOW_1_5X_OVERAGE' },
      expect: [false, code],
    },
  ]),
  {
    name: 'too many processes PER_LICENSE',
    license: { ...machines(1), ...limits({ maxProcesses: 2 }) },
    policy: { strict: true, processLeasingStrategy: 'PER_LICENSE' },
    facts: { licenseProcesses: 3 },
    expect: [false, 'TOO_MANY_PROCESSES', 'has too many associated processes'],
  },
  {
    name: 'processes PER_LICENSE within ALLOW_1_5X_OVERAGE',
    license: { ...machines(1), ...limits({ maxProcesses: 2 }) },
    policy: {
      strict: true,
      processLeasingStrategy: 'PER_LICENSE',
      overageStrategy: 'ALLOW_1_5X_OVERAGE',
    },
    facts: { licenseProcesses: 3 },
    expect: [true, 'TOO_MANY_PROCESSES'],
  },
  {
    name: 'too many processes PER_MACHINE on the fingerprint machine',
    license: { ...machines(1), ...limits({ maxProcesses: 2 }) },
    policy: { strict: true },
    scope: { fingerprint: 'a' },
    facts: { fingerprintMachines: [alive({ processCount: 3 })] },
    expect: [false, 'TOO_MANY_PROCESSES'],
  },
  {
    name: 'PER_MACHINE uses the machine override',
    license: { ...machines(1), ...limits({ maxProcesses: 2 }) },
    policy: { strict: true },
    scope: { fingerprint: 'a' },
    facts: { fingerprintMachines: [alive({ processCount: 3, maxProcesses: 5 })] },
    expect: [true, 'VALID'],
  },
  {
    name: 'too many processes PER_MACHINE on the scoped machine',
    license: { ...machines(1), ...limits({ maxProcesses: 1 }) },
    policy: { strict: true },
    scope: { machine: OTHER },
    facts: { machine: alive({ processCount: 2 }) },
    expect: [false, 'TOO_MANY_PROCESSES'],
  },
  {
    name: 'PER_MACHINE without a machine or fingerprint scope never fails',
    license: { ...machines(1), ...limits({ maxProcesses: 1 }) },
    policy: { strict: true },
    expect: [true, 'VALID'],
  },
  {
    name: 'too many processes PER_USER',
    license: { ...machines(1), ...limits({ maxProcesses: 1 }) },
    policy: { strict: true, processLeasingStrategy: 'PER_USER' },
    facts: { userBucket: { count: 1, cores: 0, memory: 0, disk: 0, processes: 2 } },
    expect: [false, 'TOO_MANY_PROCESSES'],
  },
  ...STRATEGIES.filter((s) => s !== 'REVOKE_ACCESS').map((s): Case => ({
    name: `strict expired with a machine under ${s}`,
    license: { ...EXPIRED, ...machines(1) },
    policy: { strict: true, expirationStrategy: s },
    expect: [s !== 'RESTRICT_ACCESS', 'EXPIRED', 'is expired'],
  })),
  {
    name: 'limits are checked before a maintained expiry',
    license: { ...EXPIRED, ...machines(2) },
    policy: { strict: true, expirationStrategy: 'MAINTAIN_ACCESS' },
    expect: [false, 'TOO_MANY_MACHINES'],
  },
  {
    name: 'too many users is checked before strictness',
    license: { ...limits({ maxUsers: 1 }), usersCount: 2 },
    policy: { strict: true },
    expect: [false, 'TOO_MANY_USERS'],
  },
];

function run(c: Case) {
  return validateLicense({
    license: c.license === null ? null : license(c.license),
    policy: c.license === null ? null : policy(c.policy),
    scope: c.scope === undefined ? {} : c.scope,
    facts: c.facts ?? {},
    now: NOW,
  });
}

describe('validateLicense (spec 02 §6.3)', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const out = run(c);
    const [valid, code, detail] = c.expect;
    expect({ valid: out.valid, code: out.code }).toEqual({ valid, code });
    if (detail !== undefined) {
      expect(out.detail).toBe(detail);
    }
  });

  it('exercises every result code', () => {
    const seen = new Set(CASES.map((c) => c.expect[1]));
    expect(VALIDATION_CODES.filter((code) => !seen.has(code))).toEqual([]);
  });

  it('touches lastValidated on every outcome with a license, and nothing without one', () => {
    expect(run({ name: '', license: null, expect: [false, 'NOT_FOUND'] }).touches).toBeNull();
    expect(
      run({ name: '', license: { suspended: true }, expect: [false, 'SUSPENDED'] }).touches,
    ).toEqual({
      lastValidatedAt: NOW,
    });
  });

  it('records the checksum and its release version, then the version scope overrides it', () => {
    const out = run({
      name: '',
      scope: { checksum: 'abc', version: '2.0.0' },
      facts: { checksumRelease: { version: '1.0.0' }, versionRelease: { version: '2.0.0' } },
      expect: [true, 'VALID'],
    });
    expect(out).toMatchObject({ valid: true, code: 'VALID' });
    expect(out.touches).toEqual({
      lastValidatedAt: NOW,
      lastValidatedChecksum: 'abc',
      lastValidatedVersion: '2.0.0',
    });
  });

  it('keeps a matched checksum touch when a later step fails', () => {
    const out = run({
      name: '',
      scope: { checksum: 'abc', version: '9.9.9' },
      facts: { checksumRelease: { version: '1.0.0' }, versionRelease: null },
      expect: [false, 'VERSION_SCOPE_MISMATCH'],
    });
    expect(out.code).toBe('VERSION_SCOPE_MISMATCH');
    expect(out.touches).toEqual({
      lastValidatedAt: NOW,
      lastValidatedChecksum: 'abc',
      lastValidatedVersion: '1.0.0',
    });
  });
});

describe('heartbeatStatus (spec 03 §1.8.1)', () => {
  const p = (requireHeartbeat: boolean, heartbeatDuration: number | null = null) => ({
    requireHeartbeat,
    heartbeatDuration,
  });
  it.each([
    [
      'never pinged, not required',
      { createdAt: ago(10_000), lastHeartbeatAt: null },
      p(false),
      'NOT_STARTED',
    ],
    [
      'never pinged, required, inside the window',
      { createdAt: ago(600), lastHeartbeatAt: null },
      p(true),
      'NOT_STARTED',
    ],
    [
      'never pinged, required, past the window',
      { createdAt: ago(601), lastHeartbeatAt: null },
      p(true),
      'DEAD',
    ],
    [
      'pinged at the window edge',
      { createdAt: ago(9999), lastHeartbeatAt: ago(600) },
      p(false),
      'ALIVE',
    ],
    [
      'pinged past the window (opted in by the ping)',
      { createdAt: ago(9999), lastHeartbeatAt: ago(601) },
      p(false),
      'DEAD',
    ],
    [
      'custom duration',
      { createdAt: ago(9999), lastHeartbeatAt: ago(3000) },
      p(true, 3600),
      'ALIVE',
    ],
  ] as const)('%s', (_n, m, policyFacts, status) => {
    expect(heartbeatStatus(m, policyFacts, NOW)).toBe(status);
  });
});

describe('overageAllowed (spec 02 §6.4)', () => {
  it.each([
    ['ALWAYS_ALLOW_OVERAGE', 1000, 1, true],
    ['ALLOW_1_25X_OVERAGE', 5, 4, true],
    ['ALLOW_1_25X_OVERAGE', 6, 4, false],
    ['ALLOW_1_5X_OVERAGE', 3, 2, true],
    ['ALLOW_1_5X_OVERAGE', 4, 2, false],
    ['ALLOW_2X_OVERAGE', 4, 2, true],
    ['ALLOW_2X_OVERAGE', 5, 2, false],
    ['NO_OVERAGE', 2, 1, false],
    [null, 2, 1, false],
  ] as const)('%s with %d over %d → %s', (strategy, count, limit, allowed) => {
    expect(overageAllowed(strategy, count, limit)).toBe(allowed);
  });
});

describe('isCheckInOverdue (calendar arithmetic)', () => {
  const monthly = { requireCheckIn: true, checkInInterval: 'month', checkInIntervalCount: 1 };
  it('compares lastCheckIn with now − interval, clamped to month ends', () => {
    const last = new Date('2024-01-31T00:00:00.000Z');
    // Feb 28 12:00 − 1 month = Jan 28 12:00: Jan 31 is not before it.
    expect(isCheckInOverdue(last, monthly, new Date('2024-02-28T12:00:00.000Z'))).toBe(false);
    // Mar 1 00:00:01 − 1 month = Feb 1 00:00:01.
    expect(isCheckInOverdue(last, monthly, new Date('2024-03-01T00:00:01.000Z'))).toBe(true);
  });

  it('needs the flag, an interval and a count', () => {
    const last = ago(400 * 86400);
    expect(isCheckInOverdue(last, { ...monthly, requireCheckIn: false }, NOW)).toBe(false);
    expect(isCheckInOverdue(last, { ...monthly, checkInInterval: null }, NOW)).toBe(false);
    expect(isCheckInOverdue(last, { ...monthly, checkInIntervalCount: null }, NOW)).toBe(false);
    expect(isCheckInOverdue(later(1), monthly, NOW)).toBe(false);
  });
});

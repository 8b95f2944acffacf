import { metadataModelError } from '@libs/jsonapi';
import type { ApiErrorItem } from '@app/common/errors/api-error';
import { renderModelErrors, type ModelError } from '@app/common/errors/model-errors';
import type { PolicyAttributes } from './policy.entity';

/** Enumerations (spec 02 §2.3). */
export const CRYPTO_SCHEMES = [
  'LEGACY_ENCRYPT',
  'RSA_2048_PKCS1_ENCRYPT',
  'RSA_2048_PKCS1_SIGN',
  'RSA_2048_PKCS1_PSS_SIGN',
  'RSA_2048_JWT_RS256',
  'RSA_2048_PKCS1_SIGN_V2',
  'RSA_2048_PKCS1_PSS_SIGN_V2',
  'ED25519_SIGN',
  'ECDSA_P256_SIGN',
] as const;
export const MACHINE_UNIQUENESS_STRATEGIES = [
  'UNIQUE_PER_ACCOUNT',
  'UNIQUE_PER_PRODUCT',
  'UNIQUE_PER_POLICY',
  'UNIQUE_PER_LICENSE',
] as const;
export const COMPONENT_UNIQUENESS_STRATEGIES = [
  ...MACHINE_UNIQUENESS_STRATEGIES,
  'UNIQUE_PER_MACHINE',
] as const;
export const MATCHING_STRATEGIES = ['MATCH_ANY', 'MATCH_TWO', 'MATCH_MOST', 'MATCH_ALL'] as const;
export const EXPIRATION_STRATEGIES = [
  'RESTRICT_ACCESS',
  'REVOKE_ACCESS',
  'MAINTAIN_ACCESS',
  'ALLOW_ACCESS',
] as const;
export const EXPIRATION_BASES = [
  'FROM_CREATION',
  'FROM_FIRST_VALIDATION',
  'FROM_FIRST_ACTIVATION',
  'FROM_FIRST_DOWNLOAD',
  'FROM_FIRST_USE',
] as const;
export const RENEWAL_BASES = ['FROM_EXPIRY', 'FROM_NOW', 'FROM_NOW_IF_EXPIRED'] as const;
export const TRANSFER_STRATEGIES = ['RESET_EXPIRY', 'KEEP_EXPIRY'] as const;
export const AUTHENTICATION_STRATEGIES = ['TOKEN', 'LICENSE', 'SESSION', 'MIXED', 'NONE'] as const;
export const HEARTBEAT_CULL_STRATEGIES = ['DEACTIVATE_DEAD', 'KEEP_DEAD'] as const;
export const HEARTBEAT_RESURRECTION_STRATEGIES = [
  'ALWAYS_REVIVE',
  '15_MINUTE_REVIVE',
  '10_MINUTE_REVIVE',
  '5_MINUTE_REVIVE',
  '2_MINUTE_REVIVE',
  '1_MINUTE_REVIVE',
  'NO_REVIVE',
] as const;
export const HEARTBEAT_BASES = ['FROM_CREATION', 'FROM_FIRST_PING'] as const;
export const MACHINE_LEASING_STRATEGIES = ['PER_LICENSE', 'PER_USER'] as const;
export const PROCESS_LEASING_STRATEGIES = ['PER_LICENSE', 'PER_MACHINE', 'PER_USER'] as const;
export const OVERAGE_STRATEGIES = [
  'ALWAYS_ALLOW_OVERAGE',
  'ALLOW_1_25X_OVERAGE',
  'ALLOW_1_5X_OVERAGE',
  'ALLOW_2X_OVERAGE',
  'NO_OVERAGE',
] as const;
export const CHECK_IN_INTERVALS = ['day', 'week', 'month', 'year'] as const;

export const MAX_INT4 = 2_147_483_647;
/** PostgreSQL bigint max; JS cannot hold it exactly, so comparisons use 2^63 (see NOTE below). */
export const MAX_INT8_TEXT = '9223372036854775807';
const MAX_INT8 = 2 ** 63;
const DAY_SECONDS = 86_400;
const MINUTE_SECONDS = 60;
const MAX_NAME = 255;

/** The record as it will be saved (create: defaults applied; update: merged). */
export type PolicyFields = PolicyAttributes;

export interface PolicyFacts {
  /** The product relationship names no product of the account. */
  productMissing: boolean;
  /** The policy's environment does not suit its product's (spec 01 §3.3 rule 4). */
  environmentIncompatible: boolean;
}

const DOCS = 'https://keygen.sh/docs/api/policies/#policies-object';

type Comparison = 'gt' | 'gte' | 'eq' | 'lte';

const COMPARE: Record<Comparison, (v: number, bound: number) => boolean> = {
  gt: (v, b) => v > b,
  gte: (v, b) => v >= b,
  eq: (v, b) => v === b,
  lte: (v, b) => v <= b,
};
const WORDS: Record<Comparison, string> = {
  gt: 'greater than',
  gte: 'greater than or equal to',
  eq: 'equal to',
  lte: 'less than or equal to',
};

/** Ruby's modulo (sign of the divisor), so `-1 % 4` is 3 like `max_machines.to_i % 4`. */
const rubyMod = (v: number, n: number): number => ((v % n) + n) % n;

class Errors {
  readonly raws: ModelError[] = [];

  attr(name: string, code: string, detail: string): void {
    this.raws.push({ path: `attributes/${name}`, code, detail });
  }

  rel(name: string, code: string, detail: string): void {
    this.raws.push({ path: `relationships/${name}`, code, detail });
  }

  /**
   * One Rails numericality validator: every failing option adds an error (Rails checks
   * gt, gte, eq, lt, lte in that order); `message` replaces the default wording.
   */
  numeric(
    name: string,
    code: string,
    value: number | null,
    checks: ReadonlyArray<[Comparison, number, string?]>,
  ): void {
    if (value === null) {
      return;
    }
    for (const [op, bound, message] of checks) {
      if (!COMPARE[op](value, bound)) {
        this.attr(name, code, message ?? `must be ${WORDS[op]} ${boundText(bound)}`);
      }
    }
  }

  inclusion(
    name: string,
    code: string,
    value: string | null,
    allowed: readonly string[],
    detail: string,
  ): void {
    if (value !== null && !allowed.includes(value)) {
      this.attr(name, code, detail);
    }
  }
}

const boundText = (bound: number): string => (bound === MAX_INT8 ? MAX_INT8_TEXT : String(bound));

/**
 * Model validation (spec 02 §2.3–2.4) in Keygen's order: product, environment, name,
 * numeric limits, check-in, scheme, strategies, metadata, heartbeat, leasing, process
 * and user limits, overage, then the pool/encryption rules.
 */
export function policyErrors(p: PolicyFields, facts: PolicyFacts): ApiErrorItem[] {
  const e = new Errors();
  if (facts.productMissing) {
    e.rel('product', 'PRODUCT_NOT_FOUND', 'must exist');
  }
  if (facts.environmentIncompatible) {
    e.rel('environment', 'ENVIRONMENT_NOT_ALLOWED', 'must be compatible with product environment');
  }
  if (p.name === null) {
    e.attr('name', 'NAME_MISSING', "can't be blank");
  } else if ([...p.name].length > MAX_NAME) {
    e.attr('name', 'NAME_TOO_LONG', `is too long (maximum is ${MAX_NAME} characters)`);
  }
  e.numeric('duration', 'DURATION_INVALID', p.duration, [
    ['gt', 0],
    ['lte', MAX_INT4],
  ]);
  e.numeric('duration', 'DURATION_INVALID', p.duration, [
    ['gte', DAY_SECONDS, 'must be greater than or equal to 86400 (1 day)'],
  ]);
  e.numeric('heartbeatDuration', 'HEARTBEAT_DURATION_INVALID', p.heartbeatDuration, [
    ['gt', 0],
    ['lte', MAX_INT4],
  ]);
  e.numeric('heartbeatDuration', 'HEARTBEAT_DURATION_INVALID', p.heartbeatDuration, [
    ['gte', MINUTE_SECONDS, 'must be greater than or equal to 60 (1 minute)'],
  ]);
  e.numeric('maxMachines', 'MAX_MACHINES_INVALID', p.maxMachines, [
    ['gte', 0],
    ['lte', MAX_INT4],
  ]);
  if (p.floating) {
    e.numeric('maxMachines', 'MAX_MACHINES_INVALID', p.maxMachines, [
      ['gte', 1, 'must be greater than or equal to 1 for floating policy'],
    ]);
  } else {
    e.numeric('maxMachines', 'MAX_MACHINES_INVALID', p.maxMachines, [
      ['eq', 1, 'must be equal to 1 for non-floating policy'],
    ]);
  }
  e.numeric('maxCores', 'MAX_CORES_INVALID', p.maxCores, [
    ['gte', 1],
    ['lte', MAX_INT4],
  ]);
  e.numeric('maxMemory', 'MAX_MEMORY_INVALID', p.maxMemory, [
    ['gte', 1],
    ['lte', MAX_INT8],
  ]);
  e.numeric('maxDisk', 'MAX_DISK_INVALID', p.maxDisk, [
    ['gte', 1],
    ['lte', MAX_INT8],
  ]);
  e.numeric('maxUses', 'MAX_USES_INVALID', p.maxUses, [
    ['gte', 0],
    ['lte', MAX_INT4],
  ]);
  if (p.requireCheckIn) {
    if (!(CHECK_IN_INTERVALS as readonly (string | null)[]).includes(p.checkInInterval)) {
      e.attr(
        'checkInInterval',
        'CHECK_IN_INTERVAL_NOT_ALLOWED',
        'must be one of: day, week, month, year',
      );
    }
    const count = p.checkInIntervalCount;
    if (count === null || count < 1 || count > 365) {
      e.attr(
        'checkInIntervalCount',
        'CHECK_IN_INTERVAL_COUNT_NOT_ALLOWED',
        'must be a number between 1 and 365 inclusive',
      );
    }
  }
  if (p.encrypted && p.scheme !== 'LEGACY_ENCRYPT') {
    e.attr(
      'scheme',
      'SCHEME_NOT_ALLOWED',
      'unsupported encryption scheme (scheme must be LEGACY_ENCRYPT for legacy encrypted policies)',
    );
  }
  // Keygen's `scheme?` is `present?`: a blank scheme is no scheme.
  const hasScheme = p.scheme !== null && p.scheme.trim() !== '';
  if (hasScheme && !(CRYPTO_SCHEMES as readonly string[]).includes(p.scheme!)) {
    e.attr('scheme', 'SCHEME_NOT_ALLOWED', 'unsupported signing scheme');
  }
  e.inclusion(
    'machineUniquenessStrategy',
    'MACHINE_UNIQUENESS_STRATEGY_NOT_ALLOWED',
    p.machineUniquenessStrategy,
    MACHINE_UNIQUENESS_STRATEGIES,
    'unsupported machine uniqueness strategy',
  );
  e.inclusion(
    'machineMatchingStrategy',
    'MACHINE_MATCHING_STRATEGY_NOT_ALLOWED',
    p.machineMatchingStrategy,
    MATCHING_STRATEGIES,
    'unsupported machine matching strategy',
  );
  e.inclusion(
    'componentUniquenessStrategy',
    'COMPONENT_UNIQUENESS_STRATEGY_NOT_ALLOWED',
    p.componentUniquenessStrategy,
    COMPONENT_UNIQUENESS_STRATEGIES,
    'unsupported component uniqueness strategy',
  );
  e.inclusion(
    'componentMatchingStrategy',
    'COMPONENT_MATCHING_STRATEGY_NOT_ALLOWED',
    p.componentMatchingStrategy,
    MATCHING_STRATEGIES,
    'unsupported component matching strategy',
  );
  e.inclusion(
    'expirationStrategy',
    'EXPIRATION_STRATEGY_NOT_ALLOWED',
    p.expirationStrategy,
    EXPIRATION_STRATEGIES,
    'unsupported expiration strategy',
  );
  e.inclusion(
    'expirationBasis',
    'EXPIRATION_BASIS_NOT_ALLOWED',
    p.expirationBasis,
    EXPIRATION_BASES,
    'unsupported expiration basis',
  );
  e.inclusion(
    'renewalBasis',
    'RENEWAL_BASIS_NOT_ALLOWED',
    p.renewalBasis,
    RENEWAL_BASES,
    'unsupported renewal basis',
  );
  const metadata = metadataModelError(p.metadata);
  if (metadata !== null) {
    e.attr('metadata', 'METADATA_TOO_LONG', metadata);
  }
  e.inclusion(
    'authenticationStrategy',
    'AUTHENTICATION_STRATEGY_NOT_ALLOWED',
    p.authenticationStrategy,
    AUTHENTICATION_STRATEGIES,
    'unsupported authentication strategy',
  );
  e.inclusion(
    'heartbeatCullStrategy',
    'HEARTBEAT_CULL_STRATEGY_NOT_ALLOWED',
    p.heartbeatCullStrategy,
    HEARTBEAT_CULL_STRATEGIES,
    'unsupported heartbeat cull strategy',
  );
  if (
    p.heartbeatResurrectionStrategy === 'ALWAYS_REVIVE' &&
    p.heartbeatCullStrategy !== 'KEEP_DEAD'
  ) {
    e.attr(
      'heartbeatCullStrategy',
      'HEARTBEAT_CULL_STRATEGY_NOT_ALLOWED',
      'incompatible heartbeat cull strategy (must be KEEP_DEAD when resurrection strategy is ALWAYS_REVIVE)',
    );
  }
  e.inclusion(
    'heartbeatResurrectionStrategy',
    'HEARTBEAT_RESURRECTION_STRATEGY_NOT_ALLOWED',
    p.heartbeatResurrectionStrategy,
    HEARTBEAT_RESURRECTION_STRATEGIES,
    'unsupported heartbeat resurrection strategy',
  );
  e.inclusion(
    'heartbeatBasis',
    'HEARTBEAT_BASIS_NOT_ALLOWED',
    p.heartbeatBasis,
    HEARTBEAT_BASES,
    'unsupported heartbeat basis',
  );
  e.inclusion(
    'transferStrategy',
    'TRANSFER_STRATEGY_NOT_ALLOWED',
    p.transferStrategy,
    TRANSFER_STRATEGIES,
    'unsupported transfer strategy',
  );
  e.inclusion(
    'machineLeasingStrategy',
    'MACHINE_LEASING_STRATEGY_NOT_ALLOWED',
    p.machineLeasingStrategy,
    MACHINE_LEASING_STRATEGIES,
    'unsupported machine leasing strategy',
  );
  e.inclusion(
    'processLeasingStrategy',
    'PROCESS_LEASING_STRATEGY_NOT_ALLOWED',
    p.processLeasingStrategy,
    PROCESS_LEASING_STRATEGIES,
    'unsupported process leasing strategy',
  );
  e.numeric('maxProcesses', 'MAX_PROCESSES_INVALID', p.maxProcesses, [
    ['gt', 0],
    ['lte', MAX_INT4],
  ]);
  e.numeric('maxUsers', 'MAX_USERS_INVALID', p.maxUsers, [
    ['gt', 0],
    ['lte', MAX_INT4],
  ]);
  overageErrors(e, p);
  if (p.usePool && p.encrypted) {
    e.attr('encrypted', 'ENCRYPTED_NOT_SUPPORTED', 'cannot be encrypted and use a pool');
  }
  if (p.usePool && hasScheme) {
    e.attr('scheme', 'SCHEME_NOT_SUPPORTED', 'cannot use a scheme and use a pool');
  }
  if (!p.encrypted && p.scheme === 'LEGACY_ENCRYPT') {
    e.attr('scheme', 'SCHEME_INVALID', 'must be encrypted when using LEGACY_ENCRYPT scheme');
  }
  return renderModelErrors(e.raws, DOCS);
}

/** Rules 8–9 of spec 02 §2.4; all share one code and pointer, so only the first shows. */
function overageErrors(e: Errors, p: PolicyFields): void {
  e.inclusion(
    'overageStrategy',
    'OVERAGE_STRATEGY_NOT_ALLOWED',
    p.overageStrategy,
    OVERAGE_STRATEGIES,
    'unsupported overage strategy',
  );
  const limits: Array<[string, number | null]> = [
    ['max cores', p.maxCores],
    ['max memory', p.maxMemory],
    ['max disk', p.maxDisk],
    ['max processes', p.maxProcesses],
    ['max users', p.maxUsers],
  ];
  for (const [strategy, divisor, words] of [
    ['ALLOW_1_25X_OVERAGE', 4, 'divisible by 4'],
    ['ALLOW_1_5X_OVERAGE', 2, 'divisible by 2'],
  ] as const) {
    if (p.overageStrategy !== strategy) {
      continue;
    }
    const incompatible = (why: string): void =>
      e.attr(
        'overageStrategy',
        'OVERAGE_STRATEGY_NOT_ALLOWED',
        `incompatible overage strategy (cannot use ${strategy} ${why})`,
      );
    if (!p.floating) {
      incompatible('for node-locked policy');
    }
    if (p.floating && rubyMod(p.maxMachines ?? 0, divisor) > 0) {
      incompatible(`with a max machines value not ${words}`);
    }
    for (const [label, value] of limits) {
      // NOTE: `to_i` of a bigint beyond 2^53 is not exact in JS; only its parity matters here.
      if (rubyMod(value ?? 0, divisor) > 0) {
        incompatible(`with a ${label} value not ${words}`);
      }
    }
  }
}

/** What the create defaults depend on besides the record. */
export interface CreateContext {
  apiVersion: string;
  accountProtected: boolean;
}

/** Keygen's `before_validation on: :create`: encrypted without a scheme means LEGACY_ENCRYPT. */
export function beforeValidationOnCreate(p: PolicyFields): void {
  if (p.encrypted && p.scheme === null) {
    p.scheme = 'LEGACY_ENCRYPT';
  }
}

const LEGACY_OVERAGE_VERSIONS = ['1.0', '1.1'];
const LEGACY_HEARTBEAT_VERSIONS = ['1.0', '1.1', '1.2'];

/** The default overage strategy for new policies (spec 00 §7.3: 1.0/1.1 allowed overage). */
export function defaultOverageStrategy(apiVersion: string): string {
  return LEGACY_OVERAGE_VERSIONS.includes(apiVersion) ? 'ALWAYS_ALLOW_OVERAGE' : 'NO_OVERAGE';
}

/** Keygen's `before_create` callbacks: run after validation, only on create. */
export function beforeCreate(p: PolicyFields, c: CreateContext): void {
  p.machineUniquenessStrategy ??= 'UNIQUE_PER_LICENSE';
  p.machineMatchingStrategy ??= 'MATCH_ANY';
  p.componentUniquenessStrategy ??= 'UNIQUE_PER_MACHINE';
  p.componentMatchingStrategy ??= 'MATCH_ANY';
  p.expirationStrategy ??= 'RESTRICT_ACCESS';
  p.expirationBasis ??= 'FROM_CREATION';
  p.renewalBasis ??= 'FROM_EXPIRY';
  p.transferStrategy ??= 'KEEP_EXPIRY';
  p.authenticationStrategy ??= 'TOKEN';
  p.heartbeatCullStrategy ??= 'DEACTIVATE_DEAD';
  p.heartbeatResurrectionStrategy ??= 'NO_REVIVE';
  p.machineLeasingStrategy ??= 'PER_LICENSE';
  p.processLeasingStrategy ??= 'PER_MACHINE';
  if (!p.floating) {
    // compat: node-locked policies are forced to one machine, whatever was sent.
    p.maxMachines = 1;
  }
  if (!p.overageStrategy) {
    p.overageStrategy = defaultOverageStrategy(c.apiVersion);
  }
  if (!p.heartbeatBasis) {
    p.heartbeatBasis =
      !LEGACY_HEARTBEAT_VERSIONS.includes(c.apiVersion) && p.requireHeartbeat
        ? 'FROM_CREATION'
        : 'FROM_FIRST_PING';
  }
}

/**
 * Integer columns Keygen does not range-check when they are not validated (e.g. a
 * check-in count while check-ins are off) overflow the column: 400 `integer is too
 * large` (spec 02 §0.3). Returns true when such a value would reach the database.
 */
export function exceedsIntegerColumns(p: PolicyFields): boolean {
  const int4 = [p.checkInIntervalCount];
  return int4.some((v) => v !== null && (v > MAX_INT4 || v < -MAX_INT4 - 1));
}

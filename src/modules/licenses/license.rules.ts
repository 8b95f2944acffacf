import { metadataModelError } from '@libs/jsonapi';
import type { ApiErrorItem } from '@app/common/errors/api-error';
import {
  modelErrorItem,
  renderModelErrors,
  type ModelError,
} from '@app/common/errors/model-errors';
import type { Policy } from '@app/modules/policies/policy.entity';
import type { License } from './license.entity';

/**
 * Model validation of a license (spec 02 §4.2, §4.4) as pure functions: the 422
 * items in Keygen's order. Services gather the facts that need queries.
 */

export const NAME_MAX = 1024;
export const KEY_MAX = 16_384;
/** Keys without a scheme are stored verbatim and need 6 characters. */
export const UNSCHEMED_KEY_MIN = 6;
/** `action`/`actions` would collide with action routes. */
export const RESERVED_KEYS: readonly string[] = ['action', 'actions'];
export const MAX_INT4 = 2_147_483_647;
/** bigint's maximum; JS cannot hold it exactly, so comparisons use 2^63 (like the policies). */
const MAX_INT8 = 2 ** 63;
const MAX_INT8_TEXT = '9223372036854775807';

const DOCS = 'https://keygen.sh/docs/api/licenses/#licenses-object';

/** A raw model error: `attributes/<camel>`, `relationships/<name>` or `id`. */
export type RawError = ModelError;

/** One 422 item with Keygen's docs link for the license object. */
export function licenseError(path: string, code: string, detail: string): ApiErrorItem {
  return modelErrorItem(DOCS, { path, code, detail });
}

/** Keygen's grouped 422 rendering (spec 02 §0.4) with the license object's docs links. */
export function renderErrors(raws: readonly RawError[]): ApiErrorItem[] {
  return renderModelErrors(raws, DOCS);
}

/** What model validation needs beyond the record itself (gathered by the service). */
export interface LicenseRuleFacts {
  /** Create-only rules (id, key) run. */
  onCreate: boolean;
  /** The policy in the account, or null (POLICY_NOT_FOUND). */
  policy: Pick<Policy, 'floating' | 'encrypted' | 'scheme'> | null;
  /** The named policy exists in no account either (its product then cannot be found). */
  policyNowhere: boolean;
  /** Associations whose environment the license's does not suit, in Keygen's order. */
  environmentIncompatibleWith: ReadonlyArray<'policy' | 'product' | 'group' | 'owner'>;
  ownerMissing: boolean;
  groupMissing: boolean;
  /** A client-chosen `data.id` names an existing license (any account). */
  idConflict: boolean;
  /** A UUID-looking key names an existing license of the account (rule a). */
  keyConflictsWithId: boolean;
  /** The key is already used in the account (rule d). */
  keyTaken: boolean;
  /** The group's license limit when joining it would exceed it. */
  groupLimitExceeded: number | null;
  /** Permissions outside the license role's allowed set (save-time role validation). */
  permissionsNotAllowed: boolean;
}

export const NO_FACTS: LicenseRuleFacts = {
  onCreate: false,
  policy: null,
  policyNowhere: false,
  environmentIncompatibleWith: [],
  ownerMissing: false,
  groupMissing: false,
  idConflict: false,
  keyConflictsWithId: false,
  keyTaken: false,
  groupLimitExceeded: null,
  permissionsNotAllowed: false,
};

type Limits = Pick<
  License,
  'maxMachines' | 'maxCores' | 'maxMemory' | 'maxDisk' | 'maxUses' | 'maxProcesses' | 'maxUsers'
>;

/** The record fields the rules read. */
export type LicenseFields = Pick<License, 'name' | 'key' | 'uses' | 'metadata'> & Limits;

class Errors {
  readonly raws: RawError[] = [];

  add(path: string, code: string, detail: string): void {
    this.raws.push({ path, code, detail });
  }

  attr(name: string, code: string, detail: string): void {
    this.add(`attributes/${name}`, code, detail);
  }

  rel(name: string, code: string, detail: string): void {
    this.add(`relationships/${name}`, code, detail);
  }

  /** Rails numericality: every failing bound adds an error (gte, eq, lte in that order). */
  range(name: string, value: number | null, min: number, max: number, extra?: () => void): void {
    if (value === null) {
      return;
    }
    const code = `${upperSnake(name)}_INVALID`;
    if (value < min) {
      this.attr(name, code, `must be greater than or equal to ${min}`);
    }
    if (value > max) {
      this.attr(
        name,
        code,
        `must be less than or equal to ${max === MAX_INT8 ? MAX_INT8_TEXT : max}`,
      );
    }
    extra?.();
  }
}

const upperSnake = (camel: string): string => camel.replace(/([A-Z])/g, '_$1').toUpperCase();
const charLength = (s: string): number => [...s].length;

/**
 * Model validation in Keygen's declaration order: associations (policy, product,
 * environment, owner, group), the create-only id and key conflicts, the group limit,
 * uses, metadata, key format, name, the limit overrides, then the role's permissions.
 */
export function licenseErrors(l: LicenseFields, f: LicenseRuleFacts): ApiErrorItem[] {
  const e = new Errors();
  if (f.policy === null) {
    e.rel('policy', 'POLICY_NOT_FOUND', 'must exist');
    if (f.policyNowhere) {
      e.rel('product', 'PRODUCT_NOT_FOUND', 'must exist');
    }
  }
  for (const assoc of f.environmentIncompatibleWith) {
    e.rel('environment', 'ENVIRONMENT_NOT_ALLOWED', `must be compatible with ${assoc} environment`);
  }
  if (f.ownerMissing) {
    e.rel('owner', 'OWNER_NOT_FOUND', 'must exist');
  }
  if (f.groupMissing) {
    e.rel('group', 'GROUP_NOT_FOUND', 'must exist');
  }
  if (f.onCreate && f.idConflict) {
    e.add('id', 'ID_CONFLICT', 'must not conflict with another license');
  }
  if (f.onCreate && f.policy !== null && l.key !== null && l.key !== '') {
    if (f.keyConflictsWithId) {
      e.attr('key', 'KEY_CONFLICT', "must not conflict with another license's identifier (UUID)");
    }
    if (f.policy.encrypted) {
      e.attr('key', 'KEY_NOT_SUPPORTED', 'cannot be specified for a legacy encrypted license');
    }
  }
  if (f.groupLimitExceeded !== null) {
    e.rel(
      'group',
      'GROUP_LICENSE_LIMIT_EXCEEDED',
      `license count has exceeded maximum allowed by current group (${f.groupLimitExceeded})`,
    );
  }
  if (l.uses < 0) {
    e.attr('uses', 'USES_INVALID', 'must be greater than or equal to 0');
  }
  const metadata = metadataModelError(l.metadata);
  if (metadata) {
    e.attr('metadata', 'METADATA_TOO_LONG', metadata);
  }
  if (f.onCreate && l.key !== null) {
    keyErrors(e, l.key, f);
  }
  if (l.name !== null && charLength(l.name) > NAME_MAX) {
    e.attr('name', 'NAME_TOO_LONG', `is too long (maximum is ${NAME_MAX} characters)`);
  }
  limitErrors(e, l, f.policy);
  if (f.permissionsNotAllowed) {
    e.attr('permissions', 'PERMISSIONS_NOT_ALLOWED', 'unsupported permissions');
  }
  return renderErrors(e.raws);
}

/** Rules c–e of §4.4 (on the client's key, which is only a template for schemed policies). */
function keyErrors(e: Errors, key: string, f: LicenseRuleFacts): void {
  if (RESERVED_KEYS.includes(key)) {
    e.attr('key', 'KEY_NOT_ALLOWED', 'is reserved');
  }
  if (f.keyTaken) {
    e.attr('key', 'KEY_TAKEN', 'has already been taken');
  }
  const len = charLength(key);
  if (len < 1) {
    e.attr('key', 'KEY_TOO_SHORT', 'is too short (minimum is 1 character)');
  }
  if (len > KEY_MAX) {
    e.attr('key', 'KEY_TOO_LONG', `is too long (maximum is ${KEY_MAX} characters)`);
  }
  const schemed = f.policy !== null && f.policy.scheme !== null;
  if (key !== '' && !schemed && len < UNSCHEMED_KEY_MIN) {
    e.attr('key', 'KEY_TOO_SHORT', `is too short (minimum is ${UNSCHEMED_KEY_MIN} characters)`);
  }
}

/** Override ranges (only when an override is set), with the floating/node-locked rules. */
function limitErrors(e: Errors, l: Limits, policy: Pick<Policy, 'floating'> | null): void {
  e.range('maxMachines', l.maxMachines, 0, MAX_INT4, () => {
    if (policy === null || l.maxMachines === null) {
      return;
    }
    if (policy.floating && l.maxMachines < 1) {
      e.attr(
        'maxMachines',
        'MAX_MACHINES_INVALID',
        'must be greater than or equal to 1 for floating policy',
      );
    }
    if (!policy.floating && l.maxMachines !== 1) {
      e.attr('maxMachines', 'MAX_MACHINES_INVALID', 'must be equal to 1 for non-floating policy');
    }
  });
  e.range('maxCores', l.maxCores, 1, MAX_INT4);
  e.range('maxMemory', l.maxMemory, 1, MAX_INT8);
  e.range('maxDisk', l.maxDisk, 1, MAX_INT8);
  e.range('maxUses', l.maxUses, 0, MAX_INT4);
  e.range('maxProcesses', l.maxProcesses, 0, MAX_INT4);
  e.range('maxUsers', l.maxUsers, 0, MAX_INT4);
}

/** A license that fails key generation after validation passed (§4.4 step 4, §5.3). */
export function keyGenerationError(code: string, detail: string): ApiErrorItem {
  return licenseError('attributes/key', code, detail);
}

/** The pooled policy has no key left (nothing is created). */
export function poolEmptyError(): ApiErrorItem {
  return licenseError('relationships/policy', 'POLICY_POOL_EMPTY', 'pool is empty');
}

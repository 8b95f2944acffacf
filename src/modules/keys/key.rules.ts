import type { ApiErrorItem } from '@app/common/errors/api-error';
import { renderModelErrors, type ModelError } from '@app/common/errors/model-errors';

const DOCS = 'https://keygen.sh/docs/api/keys/#keys-object';
const RESERVED_KEYS: readonly string[] = ['actions', 'action'];
export const MIN_KEY_LENGTH = 8;
export const MAX_KEY_LENGTH = 1024;

/** What the database says about a key as it will be saved. */
export interface KeyFacts {
  /** Create: the policy relationship names no policy of the account. */
  policyMissing: boolean;
  /** Create: the policy exists but does not use a pool. */
  policyUnpooled: boolean;
  /** Create: the key's environment does not suit its policy's (spec 01 §3.3 rule 4). */
  environmentIncompatible: boolean;
  /** Another pool key of the account has exactly this key. */
  keyTaken: boolean;
  /** A license of the account has this key as its id (UUID). */
  conflictsWithLicenseId: boolean;
  /** A license of the account has this key as its key. */
  conflictsWithLicenseKey: boolean;
}

/**
 * Model validation (422) in Keygen's order — policy presence, environment, key
 * (taken, reserved, length), pooled policy, license conflicts — rendered grouped by
 * pointer in order of each pointer's first error, repeats of a code and pointer
 * dropped. Keys compare case-sensitively; length counts characters.
 */
export function keyErrors(key: string, f: KeyFacts): ApiErrorItem[] {
  const raws: ModelError[] = [];
  const rel = (name: string, code: string, detail: string): void => {
    raws.push({ path: `relationships/${name}`, code, detail });
  };
  const attr = (code: string, detail: string): void => {
    raws.push({ path: 'attributes/key', code, detail });
  };
  if (f.policyMissing) {
    rel('policy', 'POLICY_NOT_FOUND', 'must exist');
  }
  if (f.environmentIncompatible) {
    rel('environment', 'ENVIRONMENT_NOT_ALLOWED', 'must be compatible with policy environment');
  }
  if (f.keyTaken) {
    attr('KEY_TAKEN', 'has already been taken');
  }
  if (RESERVED_KEYS.includes(key)) {
    attr('KEY_NOT_ALLOWED', 'is reserved');
  }
  const length = [...key].length;
  if (length < MIN_KEY_LENGTH) {
    attr('KEY_TOO_SHORT', `is too short (minimum is ${MIN_KEY_LENGTH} characters)`);
  } else if (length > MAX_KEY_LENGTH) {
    attr('KEY_TOO_LONG', `is too long (maximum is ${MAX_KEY_LENGTH} characters)`);
  }
  if (f.policyUnpooled) {
    rel('policy', 'POLICY_NOT_SUPPORTED', 'cannot be added to an unpooled policy');
  }
  if (f.conflictsWithLicenseId) {
    attr('KEY_CONFLICT', "must not conflict with another license's identifier (UUID)");
  }
  if (f.conflictsWithLicenseKey) {
    attr('KEY_CONFLICT', "is already being used as a license's key");
  }
  return renderModelErrors(raws, DOCS);
}

/** No facts against the key: the starting point for create and update. */
export const NO_KEY_FACTS: KeyFacts = {
  policyMissing: false,
  policyUnpooled: false,
  environmentIncompatible: false,
  keyTaken: false,
  conflictsWithLicenseId: false,
  conflictsWithLicenseKey: false,
};

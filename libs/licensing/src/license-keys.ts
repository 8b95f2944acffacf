import * as crypto from 'node:crypto';

import { AccountSigner, type SignatureAlgorithm } from '@libs/crypto';
import { compare as bcryptCompare, hash as bcryptHash } from 'bcryptjs';

/** Policy `scheme` values (spec 02 §5.3); `LEGACY_ENCRYPT` is the old `encrypted: true` policy. */
export type LicenseKeyScheme =
  | 'LEGACY_ENCRYPT'
  | 'RSA_2048_PKCS1_ENCRYPT'
  | 'RSA_2048_PKCS1_SIGN'
  | 'RSA_2048_PKCS1_PSS_SIGN'
  | 'RSA_2048_JWT_RS256'
  | 'RSA_2048_PKCS1_SIGN_V2'
  | 'RSA_2048_PKCS1_PSS_SIGN_V2'
  | 'ED25519_SIGN'
  | 'ECDSA_P256_SIGN';

/** Schemes whose key is produced by `signLicenseKey`. */
export type SignedLicenseKeyScheme = Exclude<LicenseKeyScheme, 'LEGACY_ENCRYPT'>;

/** The account's private keys (PEM) used to sign or encrypt license keys. */
export interface LicenseKeySigningKeys {
  ed25519PrivateKeyPem: string;
  rsaPrivateKeyPem: string;
  ecdsaPrivateKeyPem: string;
}

export type LicenseKeyErrorCode = 'KEY_BYTE_SIZE_EXCEEDED' | 'KEY_JWT_CLAIMS_INVALID';

/** A seed that cannot be turned into a key; callers render it as 422 on `/data/attributes/key`. */
export class LicenseKeyError extends Error {
  constructor(
    readonly code: LicenseKeyErrorCode,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'LicenseKeyError';
  }
}

/** Largest seed RSA-2048 "private encrypt" with PKCS#1 v1.5 padding can hold (256 - 11 bytes). */
export const RSA_MAX_SEED_BYTES = 245;

const LEGACY_BCRYPT_COST = 10;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---------------------------------------------------------------------------------------------
// Unsigned keys
// ---------------------------------------------------------------------------------------------

/** Generates a default-format key `XXXXXX-XXXXXX-XXXXXX-XXXXXX-XXXXXX-V3` (spec 02 §5.1). */
export function generateDefaultKey(
  randomBytes: (n: number) => Buffer = crypto.randomBytes,
): string {
  const hex = `${randomBytes(16).toString('hex').slice(0, -2)}v3`;
  return (hex.match(/.{1,6}/g) ?? []).join('-').toUpperCase();
}

/**
 * Generates a raw legacy encrypted key `<32 hex id>-<32 hex>-<32 hex>-<30 hex>v1` (spec 02 §5.2).
 * Only `hashLegacyKey(raw)` is stored; the raw key is shown once.
 */
export function generateLegacyEncryptedKey(
  licenseId: string,
  randomBytes: (n: number) => Buffer = crypto.randomBytes,
): string {
  if (!UUID_RE.test(licenseId)) {
    throw new Error('license id must be a UUID');
  }
  const random = `${randomBytes(64).toString('hex').slice(0, -2)}v1`;
  const hex = licenseId.replace(/-/g, '').toLowerCase() + random.slice(32);
  return (hex.match(/.{32}/g) ?? []).join('-');
}

function sha256Hex(value: string): string {
  return crypto.createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Stored form of a legacy key: bcrypt of the SHA-256 hex digest of the raw key. */
export function hashLegacyKey(raw: string): Promise<string> {
  return bcryptHash(sha256Hex(raw), LEGACY_BCRYPT_COST);
}

/** Checks a raw legacy key against its stored bcrypt hash; false on a malformed hash. */
export async function verifyLegacyKey(raw: string, hash: string): Promise<boolean> {
  if (typeof raw !== 'string' || raw.length === 0 || typeof hash !== 'string') {
    return false;
  }
  try {
    return await bcryptCompare(sha256Hex(raw), hash);
  } catch {
    return false;
  }
}

/** License id (dashed, lower case) from a legacy key's first 32 hex chars; null if malformed. */
export function legacyKeyLicenseId(raw: string): string | null {
  const match = typeof raw === 'string' ? /^([0-9a-fA-F]{32})-./.exec(raw) : null;
  if (!match) {
    return null;
  }
  return match[1].toLowerCase().replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
}

// ---------------------------------------------------------------------------------------------
// Seeds: templates and default datasets
// ---------------------------------------------------------------------------------------------

/** Values available to `{{name}}` placeholders in a client-supplied key template. */
export interface KeyTemplateVars {
  account: string;
  product: string;
  policy: string;
  user: string | null;
  email: string | null;
  created: string;
  expiry: string | null;
  duration: number | null;
  id: string;
}

const TEMPLATE_RE = /\{\{(\w+)\}\}/g;

/**
 * Normalises a placeholder name as Rails' `underscore.parameterize(separator: '_')` does, so
 * `{{ID}}` and `{{Id}}` mean `id` but `{{createdAt}}` means `created_at` (unknown).
 */
function placeholderName(name: string): string {
  return name
    .replace(/(?<=[A-Z])(?=[A-Z][a-z])|(?<=[a-z\d])(?=[A-Z])/g, '_')
    .toLowerCase()
    .replace(/_{2,}/g, '_')
    .replace(/^_|_$/g, '');
}

/** Substitutes `{{name}}` placeholders in a key template; unknown names become '' (spec 02 §5.3). */
export function renderKeyTemplate(template: string, vars: KeyTemplateVars): string {
  return template.replace(TEMPLATE_RE, (_match, name: string) => {
    const key = placeholderName(name);
    if (!Object.prototype.hasOwnProperty.call(vars, key)) {
      return '';
    }
    const value = vars[key as keyof KeyTemplateVars];
    return value === null || value === undefined ? '' : String(value);
  });
}

/** Inputs for the default seed of a license created without a key. */
export interface KeyDatasetInput {
  accountId: string;
  productId: string;
  policyId: string;
  policyDuration: number | null;
  user: { id: string; email: string } | null;
  licenseId: string;
  created: Date;
  expiry: Date | null;
  /** JWT `jti`; defaults to a random UUID. */
  jti?: string;
}

function unixSeconds(t: Date): number {
  return Math.floor(t.getTime() / 1000);
}

/** Builds the compact JSON seed for a license created without a key (spec 02 §5.3). */
export function buildKeyDataset(scheme: LicenseKeyScheme, input: KeyDatasetInput): string {
  // Key order is part of the format: objects are built literally in the spec's order.
  switch (scheme) {
    case 'LEGACY_ENCRYPT':
      throw new Error('LEGACY_ENCRYPT keys are random, not built from a dataset');
    case 'RSA_2048_PKCS1_ENCRYPT':
      return JSON.stringify({
        id: input.licenseId,
        created: input.created.toISOString(),
        duration: input.policyDuration,
        expiry: input.expiry ? input.expiry.toISOString() : null,
      });
    case 'RSA_2048_JWT_RS256': {
      const claims: Record<string, string | number> = {
        jti: input.jti ?? crypto.randomUUID(),
        iss: 'https://keygen.sh',
        aud: input.accountId,
        sub: input.licenseId,
        iat: unixSeconds(input.created),
        nbf: unixSeconds(input.created),
      };
      if (input.expiry) {
        claims.exp = unixSeconds(input.expiry);
      }
      return JSON.stringify(claims);
    }
    default:
      return JSON.stringify({
        account: { id: input.accountId },
        product: { id: input.productId },
        policy: { id: input.policyId, duration: input.policyDuration },
        user: input.user ? { id: input.user.id, email: input.user.email } : null,
        license: {
          id: input.licenseId,
          created: input.created.toISOString(),
          expiry: input.expiry ? input.expiry.toISOString() : null,
        },
      });
  }
}

// ---------------------------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------------------------

/** URL-safe base64 that keeps `=` padding (Ruby's `Base64.urlsafe_encode64`). */
export function base64UrlPadded(data: Buffer | string): string {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

function stdToUrlPadded(b64: string): string {
  return b64.replace(/\+/g, '-').replace(/\//g, '_');
}

/** Ruby class name of a non-numeric JSON value, as the jwt gem prints it (lower-cased). */
function rubyClassName(value: unknown): string {
  if (value === null) {
    return 'nilclass';
  }
  if (Array.isArray(value)) {
    return 'array';
  }
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return value ? 'trueclass' : 'falseclass';
    default:
      return 'hash';
  }
}

/** Parses and checks a JWT claims seed; returns the compact JSON payload to sign. */
function jwtPayload(seed: string): string {
  let claims: unknown;
  try {
    claims = JSON.parse(seed);
  } catch {
    claims = undefined;
  }
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
    throw new LicenseKeyError(
      'KEY_JWT_CLAIMS_INVALID',
      'key is not a valid JWT claims payload (must be a valid JSON encoded string)',
    );
  }
  // compat: Keygen's jwt gem (2.10) only type-checks the numeric claims when encoding, in this
  // order; iss/sub/aud/jti are signed as given.
  const record = claims as Record<string, unknown>;
  for (const claim of ['exp', 'iat', 'nbf']) {
    if (Object.prototype.hasOwnProperty.call(record, claim) && typeof record[claim] !== 'number') {
      throw new LicenseKeyError(
        'KEY_JWT_CLAIMS_INVALID',
        `key is not a valid JWT claims payload (${claim} claim must be a numeric value but it is a ${rubyClassName(record[claim])})`,
      );
    }
  }
  // compat: Keygen re-serialises the parsed claims, so whitespace in a template is dropped.
  return JSON.stringify(record);
}

const JWT_HEADER = '{"alg":"RS256"}';

/** Signs or encrypts a seed into the stored/returned key string for a scheme (spec 02 §5.3). */
export function signLicenseKey(
  scheme: SignedLicenseKeyScheme,
  seed: string,
  keys: LicenseKeySigningKeys,
): string {
  const signer = new AccountSigner(keys);
  const sign = (alg: SignatureAlgorithm, data: string): string =>
    stdToUrlPadded(signer.sign(alg, data));
  const signV2 = (alg: SignatureAlgorithm): string => {
    const signingData = `key/${base64UrlPadded(seed)}`;
    return `${signingData}.${sign(alg, signingData)}`;
  };

  switch (scheme) {
    case 'ED25519_SIGN':
      return signV2('ed25519');
    case 'ECDSA_P256_SIGN':
      return signV2('ecdsa-p256');
    case 'RSA_2048_PKCS1_SIGN_V2':
      return signV2('rsa-sha256');
    case 'RSA_2048_PKCS1_PSS_SIGN_V2':
      return signV2('rsa-pss-sha256');
    case 'RSA_2048_PKCS1_SIGN':
      return `${base64UrlPadded(seed)}.${sign('rsa-sha256', seed)}`;
    case 'RSA_2048_PKCS1_PSS_SIGN':
      return `${base64UrlPadded(seed)}.${sign('rsa-pss-sha256', seed)}`;
    case 'RSA_2048_PKCS1_ENCRYPT': {
      const bytes = Buffer.from(seed, 'utf8');
      if (bytes.length > RSA_MAX_SEED_BYTES) {
        throw new LicenseKeyError(
          'KEY_BYTE_SIZE_EXCEEDED',
          `key exceeds maximum byte length (max size of ${RSA_MAX_SEED_BYTES} bytes)`,
        );
      }
      const ciphertext = crypto.privateEncrypt(
        { key: keys.rsaPrivateKeyPem, padding: crypto.constants.RSA_PKCS1_PADDING },
        bytes,
      );
      return base64UrlPadded(ciphertext);
    }
    case 'RSA_2048_JWT_RS256': {
      const signingInput = `${Buffer.from(JWT_HEADER).toString('base64url')}.${Buffer.from(
        jwtPayload(seed),
      ).toString('base64url')}`;
      const signature = Buffer.from(signer.sign('rsa-sha256', signingInput), 'base64');
      return `${signingInput}.${signature.toString('base64url')}`;
    }
    default:
      throw new Error(`Unsupported license key scheme: ${String(scheme)}`);
  }
}

/** Default checkout signing algorithm for a license's scheme (spec 02 §9.2 rule 4). */
export function checkoutSigningAlgorithmFor(scheme: string | null): SignatureAlgorithm {
  switch (scheme) {
    case 'RSA_2048_PKCS1_PSS_SIGN':
    case 'RSA_2048_PKCS1_PSS_SIGN_V2':
      return 'rsa-pss-sha256';
    case 'RSA_2048_PKCS1_SIGN':
    case 'RSA_2048_PKCS1_SIGN_V2':
    case 'RSA_2048_PKCS1_ENCRYPT':
    case 'RSA_2048_JWT_RS256':
      return 'rsa-sha256';
    case 'ECDSA_P256_SIGN':
      return 'ecdsa-p256';
    default:
      // ED25519_SIGN, LEGACY_ENCRYPT and no scheme all sign with Ed25519.
      return 'ed25519';
  }
}

import * as crypto from 'node:crypto';

import { AccountSigner, type SignatureAlgorithm, verifySignature } from '@libs/crypto';

/** Signing half of a checkout algorithm (`<enc>+<sig>`). */
export type SigAlg = SignatureAlgorithm;

/** Encoding half of a checkout algorithm. */
export type CertificateEncoding = 'aes-256-gcm' | 'base64';

/** License files sign `license/<enc>`, machine files `machine/<enc>`. */
export type CertificateKind = 'license' | 'machine';

export const CERTIFICATE_ENCODINGS: readonly CertificateEncoding[] = ['aes-256-gcm', 'base64'];
export const CERTIFICATE_SIGNING_ALGORITHMS: readonly SigAlg[] = [
  'ed25519',
  'rsa-pss-sha256',
  'rsa-sha256',
  'ecdsa-p256',
];

export type ParsedCheckoutAlgorithm =
  | { ok: true; enc: CertificateEncoding; sig: SigAlg }
  | { ok: false; detail: 'invalid encoding algorithm' | 'invalid signing algorithm' };

/**
 * Splits and checks an explicit checkout `algorithm` (spec 02 §9.2 rule 3). The encoding is
 * checked first. Callers handle null/empty (= default) before calling.
 */
export function parseCheckoutAlgorithm(algorithm: string): ParsedCheckoutAlgorithm {
  const value = typeof algorithm === 'string' ? algorithm : '';
  const plus = value.indexOf('+');
  const enc = plus < 0 ? value : value.slice(0, plus);
  const sig = plus < 0 ? null : value.slice(plus + 1);
  if (!(CERTIFICATE_ENCODINGS as readonly string[]).includes(enc)) {
    return { ok: false, detail: 'invalid encoding algorithm' };
  }
  if (sig === null || !(CERTIFICATE_SIGNING_ALGORITHMS as readonly string[]).includes(sig)) {
    return { ok: false, detail: 'invalid signing algorithm' };
  }
  return { ok: true, enc: enc as CertificateEncoding, sig: sig as SigAlg };
}

/** Secret whose SHA-256 encrypts a machine file: license key then fingerprint (spec 03 §1.9.3). */
export function machineFileSecret(licenseKey: string, fingerprint: string): string {
  return `${licenseKey}${fingerprint}`;
}

/** Signs data with an account's private key for `alg`; returns standard padded base64. */
export function signWith(
  alg: SigAlg,
  data: string,
  keys: { ed25519PrivateKeyPem: string; rsaPrivateKeyPem: string; ecdsaPrivateKeyPem: string },
): string {
  return new AccountSigner(keys).sign(alg, data);
}

export interface EncodeCertificateOptions {
  enc: CertificateEncoding;
  sig: SigAlg;
  /** Required for aes-256-gcm: the license key, or `machineFileSecret(...)` for machine files. */
  secret?: string;
  /** Signs `<kind>/<enc>` with the `sig` algorithm; returns standard base64. */
  sign: (data: string) => string;
  /** IV source, for tests; defaults to crypto.randomBytes. */
  randomBytes?: (n: number) => Buffer;
}

const AES_IV_BYTES = 12;
const AES_TAG_BYTES = 16;
const MIME_LINES = /.{1,60}/g;

function armour(kind: CertificateKind): { begin: string; end: string } {
  const label = `${kind.toUpperCase()} FILE`;
  return { begin: `-----BEGIN ${label}-----`, end: `-----END ${label}-----` };
}

function encryptPayload(
  payload: string,
  secret: string,
  randomBytes: (n: number) => Buffer,
): string {
  const key = crypto.createHash('sha256').update(secret, 'utf8').digest();
  const iv = randomBytes(AES_IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(payload, 'utf8'), cipher.final()]);
  return [ciphertext, iv, cipher.getAuthTag()].map((b) => b.toString('base64')).join('.');
}

/**
 * Builds a license or machine file certificate (spec 02 §9.3, 03 §1.9.3): encode or encrypt the
 * payload, sign `<kind>/<enc>`, wrap `{"enc","sig","alg"}` in 60-column base64 and the armour.
 */
export function encodeCertificate(
  kind: CertificateKind,
  payload: string,
  opts: EncodeCertificateOptions,
): string {
  let enc: string;
  if (opts.enc === 'aes-256-gcm') {
    if (typeof opts.secret !== 'string') {
      throw new Error('aes-256-gcm certificates need a secret');
    }
    enc = encryptPayload(payload, opts.secret, opts.randomBytes ?? crypto.randomBytes);
  } else {
    enc = Buffer.from(payload, 'utf8').toString('base64');
  }
  const sig = opts.sign(`${kind}/${enc}`);
  const doc = JSON.stringify({ enc, sig, alg: `${opts.enc}+${opts.sig}` });
  // compat: Ruby's Base64.encode64 (MIME) wraps at 60 columns; Keygen chomps the final newline.
  const body = (Buffer.from(doc, 'utf8').toString('base64').match(MIME_LINES) ?? []).join('\n');
  const { begin, end } = armour(kind);
  return `${begin}\n${body}\n${end}\n`;
}

/** The signed document inside a certificate. */
export interface DecodedCertificate {
  kind: CertificateKind;
  enc: string;
  sig: string;
  alg: string;
}

/** Parses a certificate's armour and document; null if it is not a well-formed certificate. */
export function decodeCertificate(certificate: string): DecodedCertificate | null {
  const match =
    typeof certificate === 'string'
      ? /^-----BEGIN (LICENSE|MACHINE) FILE-----\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n-----END \1 FILE-----\r?\n?$/.exec(
          certificate,
        )
      : null;
  if (!match) {
    return null;
  }
  try {
    const doc: unknown = JSON.parse(Buffer.from(match[2], 'base64').toString('utf8'));
    if (doc === null || typeof doc !== 'object') {
      return null;
    }
    const { enc, sig, alg } = doc as Record<string, unknown>;
    if (typeof enc !== 'string' || typeof sig !== 'string' || typeof alg !== 'string') {
      return null;
    }
    return { kind: match[1] === 'LICENSE' ? 'license' : 'machine', enc, sig, alg };
  } catch {
    return null;
  }
}

/**
 * Verifies a decoded certificate's signature over `<kind>/<enc>` (hex Ed25519 public key, SPKI
 * PEM otherwise); never throws.
 */
export function verifyCertificate(decoded: DecodedCertificate, publicKey: string): boolean {
  const parsed = parseCheckoutAlgorithm(decoded.alg);
  if (!parsed.ok) {
    return false;
  }
  return verifySignature(parsed.sig, publicKey, `${decoded.kind}/${decoded.enc}`, decoded.sig);
}

/** Recovers the payload JSON of a decoded certificate; throws if the secret or data is wrong. */
export function readCertificatePayload(decoded: DecodedCertificate, secret?: string): string {
  const parsed = parseCheckoutAlgorithm(decoded.alg);
  if (!parsed.ok) {
    throw new Error(parsed.detail);
  }
  if (parsed.enc === 'base64') {
    return Buffer.from(decoded.enc, 'base64').toString('utf8');
  }
  if (typeof secret !== 'string') {
    throw new Error('aes-256-gcm certificates need a secret');
  }
  const parts = decoded.enc.split('.');
  if (parts.length !== 3) {
    throw new Error('malformed aes-256-gcm data');
  }
  const [ciphertext, iv, tag] = parts.map((p) => Buffer.from(p, 'base64'));
  const key = crypto.createHash('sha256').update(secret, 'utf8').digest();
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv, {
    authTagLength: AES_TAG_BYTES,
  });
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
}

import {
  defineSerializer,
  stringifyJson,
  timestamp,
  type Serializer,
  type ToOne,
} from '@libs/jsonapi';
import { addDuration, encodeCertificate, type CertificateKind } from '@libs/licensing';
import type { RequestContext } from '@app/common/context/request-context';
import type { RawResult } from '@app/common/http/render';
import { uuidv4 } from '@app/common/ids';
import type { LicenseView } from '../license.view';
import type { CheckoutFileMeta } from './checkout-document';
import type { CheckoutOptions } from './checkout-options';
import { CheckoutTtlTooLargeError } from './license-file.errors';

/**
 * What license files (spec 02 §9.4) and machine files (spec 03 §1.9.5) share; built
 * per request, never stored.
 */
export interface CheckoutFile {
  /** Random per check-out. */
  id: string;
  accountId: string;
  environmentId: string | null;
  licenseId: string;
  certificate: string;
  algorithm: string;
  includes: string[];
  ttl: number | null;
  expiry: Date | null;
  issued: Date;
}

/**
 * Issued now, expiring `ttl` seconds later (null: never). A ttl so long the expiry
 * falls outside the representable time range is a 400.
 */
export function checkoutFileMeta(issued: Date, ttl: number | null): CheckoutFileMeta {
  const expiry = ttl === null ? null : addDuration(issued, ttl);
  if (expiry !== null && Number.isNaN(expiry.getTime())) {
    throw new CheckoutTtlTooLargeError();
  }
  return { issued, expiry, ttl };
}

/**
 * compat: Keygen encrypts with the stored license key; a legacy-encrypted license keeps
 * only its digest. A license file uses it as is, a machine file with the fingerprint.
 */
export function licenseFileSecret(license: Pick<LicenseView, 'key' | 'keyDigest'> | null): string {
  return license ? (license.key ?? license.keyDigest ?? '') : '';
}

export interface CheckoutCertificate {
  /** The certificate's `-----BEGIN <KIND> FILE-----` and signing prefix. */
  kind: CertificateKind;
  /** The document inside it. */
  payload: Record<string, unknown>;
  /** The aes-256-gcm key material. */
  secret: string;
  accountId: string;
  licenseId: string;
}

/**
 * Signs (and, if asked, encrypts) the payload and wraps it as a checked-out file. The
 * payload is written with stringifyJson for a machine's exact `memory`/`disk`; a license
 * document has no such integers, so for it this is plain JSON.stringify.
 */
export function issueCheckoutFile(
  ctx: RequestContext,
  options: CheckoutOptions<string>,
  meta: CheckoutFileMeta,
  cert: CheckoutCertificate,
): CheckoutFile {
  const certificate = encodeCertificate(cert.kind, stringifyJson(cert.payload), {
    enc: options.enc,
    sig: options.sig,
    secret: cert.secret,
    sign: (data) => ctx.account.signer.sign(options.sig, data),
  });
  return {
    id: uuidv4(),
    accountId: cert.accountId,
    environmentId: ctx.environment?.id ?? null,
    licenseId: cert.licenseId,
    certificate,
    algorithm: options.algorithm,
    includes: options.includes,
    ttl: meta.ttl,
    expiry: meta.expiry,
    issued: meta.issued,
  };
}

const base = (f: CheckoutFile): string => `/v1/accounts/${f.accountId}`;

/**
 * A `license-files` or `machine-files` serializer: no links of its own, like Keygen's;
 * the shared attributes and the account, environment and license relationships, then
 * any of the kind's own.
 */
export function checkoutFileSerializer<F extends CheckoutFile>(def: {
  type: string;
  self: (f: F) => string;
  relationships?: Record<string, ToOne<F>>;
}): Serializer<F> {
  return defineSerializer<F>({
    type: def.type,
    self: def.self,
    links: () => ({}),
    attributes: (f) => ({
      certificate: f.certificate,
      algorithm: f.algorithm,
      includes: f.includes,
      ttl: f.ttl,
      expiry: f.expiry ? timestamp(f.expiry) : null,
      issued: timestamp(f.issued),
    }),
    relationships: {
      account: {
        linkage: (f) => ({ type: 'accounts', id: f.accountId }),
        related: base,
      },
      environment: {
        linkage: (f) => (f.environmentId ? { type: 'environments', id: f.environmentId } : null),
        related: (f) => (f.environmentId ? `${base(f)}/environments/${f.environmentId}` : null),
      },
      license: {
        linkage: (f) => ({ type: 'licenses', id: f.licenseId }),
        related: (f) => `${base(f)}/licenses/${f.licenseId}`,
      },
      ...def.relationships,
    },
  });
}

/** The GET check-out: the bare certificate as an `<id>.lic` download. */
export function certificateDownload(certificate: string, id: string): RawResult {
  return {
    kind: 'raw',
    status: 200,
    body: Buffer.from(certificate, 'utf8'),
    contentType: 'application/octet-stream',
    headers: { 'Content-Disposition': `attachment; filename="${id}.lic"` },
  };
}

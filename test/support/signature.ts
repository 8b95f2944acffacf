import { createHash, createPublicKey, verify, constants } from 'node:crypto';
import type { Response } from 'supertest';

/**
 * An independent verifier for Keygen-Signature (node:crypto only, written from the
 * spec's signing string, sharing no code with libs/crypto).
 */
export function verifyResponseSignature(
  res: Response,
  opts: { method: string; path: string; host: string; publicKey: string; algorithm?: string },
): boolean {
  const header = res.headers['keygen-signature'] as string | undefined;
  if (!header) {
    return false;
  }
  const fields = Object.fromEntries(
    [...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
  ) as Record<string, string>;
  const body = Buffer.from(res.text ?? '', 'utf8');
  const digest = `sha-256=${createHash('sha256').update(body).digest('base64')}`;
  if (res.headers.digest !== digest) {
    return false;
  }
  const signing = [
    `(request-target): ${opts.method.toLowerCase()} ${opts.path}`,
    `host: ${opts.host.replace(/:\d+$/, '')}`,
    `date: ${res.headers.date as string}`,
    `digest: ${digest}`,
  ].join('\n');
  const sig = Buffer.from(fields.signature, 'base64');
  const alg = opts.algorithm ?? fields.algorithm;
  switch (alg) {
    case 'ed25519': {
      const raw = Buffer.from(opts.publicKey, 'hex');
      const key = createPublicKey({
        key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]),
        format: 'der',
        type: 'spki',
      });
      return verify(null, Buffer.from(signing), key, sig);
    }
    case 'rsa-pss-sha256':
      return verify('sha256', Buffer.from(signing), {
        key: opts.publicKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_AUTO,
      }, sig);
    case 'rsa-sha256':
      return verify('sha256', Buffer.from(signing), opts.publicKey, sig);
    case 'ecdsa-p256':
      return verify('sha256', Buffer.from(signing), opts.publicKey, sig);
    default:
      return false;
  }
}

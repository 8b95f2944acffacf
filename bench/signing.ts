import { performance } from 'node:perf_hooks';
import {
  httpDate,
  sha256Digest,
  signingString,
  type AccountSigner,
  type SignatureAlgorithm,
} from '@libs/crypto';

export interface SigningCost {
  algorithm: SignatureAlgorithm;
  iterations: number;
  /** Mean µs per response for Date + Digest (SHA-256 of the body) + signing string + signature. */
  microsPerResponse: number;
}

const ALGORITHMS: SignatureAlgorithm[] = ['ed25519', 'ecdsa-p256', 'rsa-pss-sha256', 'rsa-sha256'];

/**
 * In-process cost of what ResponseFinalizer adds to sign one response: the same
 * library calls, on a real response body, with the account's own keys.
 */
export function measureSigning(
  signer: AccountSigner,
  body: Buffer,
  request: { method: string; target: string; host: string },
  budgetMs = 400,
): SigningCost[] {
  const once = (algorithm: SignatureAlgorithm): string => {
    const date = httpDate(new Date());
    const digest = sha256Digest(body);
    return signer.sign(algorithm, signingString({ ...request, date, digest }));
  };
  return ALGORITHMS.map((algorithm) => {
    for (let i = 0; i < 50; i++) {
      once(algorithm); // warm-up: key parsing and JIT
    }
    let iterations = 0;
    const started = performance.now();
    let elapsed = 0;
    while (elapsed < budgetMs) {
      for (let i = 0; i < 50; i++) {
        once(algorithm);
      }
      iterations += 50;
      elapsed = performance.now() - started;
    }
    return { algorithm, iterations, microsPerResponse: (elapsed * 1000) / iterations };
  });
}

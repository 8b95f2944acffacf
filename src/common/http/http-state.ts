import type { Request } from 'express';
import type { SignatureAlgorithm } from '@libs/crypto';
import type { RequestContext, ResolvedAccount } from '../context/request-context';

/** Per-request state the middleware, guards, interceptor and filter share. */
export interface HttpState {
  requestId: string;
  startedAt: number;
  /** Path + query exactly as received (signing string, links). */
  originalUrl: string;
  /** HTTP method as received (PUT stays PUT in the signing string when routed as PATCH). */
  method: string;
  apiVersion: string;
  account?: ResolvedAccount;
  /** Negotiated by Keygen-Accept-Signature; null when the header was unusable (no signature headers at all). */
  signatureAlgorithm: SignatureAlgorithm | null;
  /** The algorithm as the client spelled it (echoed in Keygen-Signature). */
  signatureAlgorithmName?: string;
  /** A foreign keyid was requested: Date/Digest are still sent, Keygen-Signature is not. */
  signatureKeyidMismatch?: boolean;
  ctx?: RequestContext;
  /** Credential scheme the client used, for WWW-Authenticate. */
  authScheme: string;
  /** Raw request body bytes, when one was read. */
  rawBody?: Buffer;
  /** X-RateLimit-* headers for the general limiter, set by the rate-limit middleware. */
  rateLimitHeaders?: Record<string, string>;
  /** A string in the body contained U+0000 (raised as ENCODING_INVALID inside the app). */
  nullByte?: boolean;
  /** Route pattern once matched (for version migrations). */
  route?: string;
}

export type KeywardRequest = Request & { keyward: HttpState };

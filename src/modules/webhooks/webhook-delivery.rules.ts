import type { WebhookEventStatus } from './webhook-event.entity';
import type { SendResult } from './webhook-transport';

/** Keygen's WebhookWorker schedule (spec 05 §4.4), with configurable units for tests. */
export interface RetrySchedule {
  /** Retries after the first attempt (Keygen: 15). */
  maxRetries: number;
  /** Milliseconds per "second" of the formula (1000). */
  unitMs: number;
  /** The 600 in `n⁴ + 600·rand(1..10)`. */
  jitterUnits: number;
}

/** Delay before retry `n` (0-based): `n⁴ + jitter·k` units, k uniform in 1..10. */
export function retryDelayMs(
  n: number,
  s: RetrySchedule,
  random: () => number = Math.random,
): number {
  const k = 1 + Math.min(9, Math.floor(random() * 10));
  return (n ** 4 + s.jitterUnits * k) * s.unitMs;
}

/**
 * What one attempt leaves behind. `record` false: code and body are left as they were
 * (the status still becomes FAILED when no retry is left).
 */
export interface AttemptDecision {
  record: boolean;
  status: WebhookEventStatus;
  lastResponseCode: number | null;
  lastResponseBody: string | null;
  retry: boolean;
  disableEndpoint: boolean;
}

const NGROK_DEAD_TUNNEL = /tunnel .+?\.ngrok\.io not found/i;

/**
 * The outcome table of spec 05 §4.4–4.5. `endpointUrl` is the event's stored URL
 * (Keygen matches the tunnel providers on it); `lastAttempt` means no retry is left,
 * so a retryable failure ends FAILED.
 */
export function decideAttempt(
  result: SendResult,
  endpointUrl: string,
  lastAttempt: boolean,
): AttemptDecision {
  const retryable = (code: number | null, body: string | null): AttemptDecision => ({
    record: true,
    status: lastAttempt ? 'FAILED' : 'FAILING',
    lastResponseCode: code,
    lastResponseBody: body,
    retry: !lastAttempt,
    disableEndpoint: false,
  });
  const terminal = (
    code: number | null,
    body: string | null,
    disable = false,
  ): AttemptDecision => ({
    record: true,
    status: 'FAILED',
    lastResponseCode: code,
    lastResponseBody: body,
    retry: false,
    disableEndpoint: disable,
  });

  if (result.kind === 'response') {
    const { status, body } = result;
    if (status >= 200 && status <= 299) {
      return { ...terminal(status, body), status: 'DELIVERED' };
    }
    if (/\.ngrok\.io/.test(endpointUrl) && status === 404 && NGROK_DEAD_TUNNEL.test(body)) {
      return terminal(status, body, true);
    }
    if (/\.ngrok\.io|\.loca\.lt/.test(endpointUrl) && status === 504) {
      return terminal(status, body);
    }
    if (status === 410 || status === 530) {
      return terminal(status, body, true);
    }
    // Any other status, redirects included (they are never followed).
    return retryable(status, body);
  }
  switch (result.failure) {
    case 'SSL_ERROR':
    case 'REQ_TIMEOUT':
      return retryable(null, result.failure);
    case null:
      // Unclassified: Keygen re-raises, so the job retries with the row untouched (only
      // FAILED is set once retries run out).
      return { ...retryable(null, null), record: false };
    default:
      return terminal(null, result.failure);
  }
}

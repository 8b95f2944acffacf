import type { ApiErrorItem } from '@app/common/errors/api-error';
import { parseUri, urlProblems } from '@app/modules/products/url-validation';
import { ALL_EVENTS, isWebhookEventType } from './webhook-event-types';

const DOCS = 'https://keygen.sh/docs/api/webhook-endpoints/#webhook-endpoints-object';
const MAX_URL_LENGTH = 4096;

/** Signature algorithms an endpoint may choose (case-sensitive). */
export const ENDPOINT_SIGNATURE_ALGORITHMS = [
  'ed25519',
  'rsa-pss-sha256',
  'rsa-sha256',
  'ecdsa-p256',
] as const;

/** Keygen's own hosts, refused even when private targets are allowed. */
const KEYGEN_HOSTS = new Set([
  'keygen.sh',
  'api.keygen.sh',
  'app.keygen.sh',
  'dist.keygen.sh',
  'dashboard.keygen.sh',
  'portal.keygen.sh',
  'status.keygen.sh',
  'stats.keygen.sh',
]);

/** Deployment rules on top of Keygen's (config). */
export interface EndpointUrlRules {
  /** WEBHOOKS_ALLOW_PRIVATE_TARGETS: also http://, IP literals and localhost. */
  allowPrivateTargets: boolean;
  /** Hosts refused in addition to Keygen's (lower-case). */
  blockedHosts: readonly string[];
}

/** The endpoint's values as they will be saved. */
export interface EndpointFields {
  url: string;
  subscriptions: readonly string[];
  signatureAlgorithm: string;
}

export interface EndpointFacts {
  /** The product relationship names no product of the account. */
  productMissing: boolean;
  /** The endpoint's environment does not suit its product's. */
  environmentIncompatible: boolean;
}

function attributeError(attr: string, code: string, detail: string): ApiErrorItem {
  return {
    detail,
    code,
    source: { pointer: `/data/attributes/${attr}` },
    links: { about: `${DOCS}-attrs-${attr}` },
  };
}

function relationshipError(rel: string, code: string, detail: string): ApiErrorItem {
  return {
    detail,
    code,
    source: { pointer: `/data/relationships/${rel}` },
    links: { about: `${DOCS}-relationships-${rel}` },
  };
}

/** Keygen's UrlValidator (https only, a host with an alphabetic TLD), or the relaxed opt-in. */
function urlErrors(url: string, rules: EndpointUrlRules): ApiErrorItem[] {
  const protocols = rules.allowPrivateTargets ? ['https', 'http'] : ['https'];
  let problems = urlProblems(url, protocols);
  const host = parseUri(url)?.host?.toLowerCase() ?? null;
  if (rules.allowPrivateTargets && problems.includes('HOST_INVALID')) {
    // The opt-in admits IP literals, localhost and single-label hosts; Keygen's own never.
    if (host !== null && host !== '' && !KEYGEN_HOSTS.has(host)) {
      problems = problems.filter((p) => p !== 'HOST_INVALID');
    }
  }
  if (host !== null && rules.blockedHosts.includes(host) && !problems.includes('HOST_INVALID')) {
    problems = [...problems, 'HOST_INVALID'];
  }
  return problems.map((p) => {
    switch (p) {
      case 'INVALID':
        return attributeError('url', 'URL_INVALID', 'must be a valid URL');
      case 'PROTOCOL_INVALID':
        return attributeError(
          'url',
          'URL_PROTOCOL_INVALID',
          `must be a valid URL using one of the following protocols: ${protocols.join(', ')}`,
        );
      case 'HOST_INVALID':
        return attributeError('url', 'URL_HOST_INVALID', 'must be a URL with a valid host');
      default:
        throw new Error(`unknown url problem ${String(p)}`);
    }
  });
}

/**
 * Model validation (422) in Keygen's order: relationships, subscriptions length, url,
 * url length, signature algorithm, then the subscription names.
 */
export function webhookEndpointErrors(
  e: EndpointFields,
  facts: EndpointFacts,
  rules: EndpointUrlRules,
): ApiErrorItem[] {
  const errors: ApiErrorItem[] = [];
  if (facts.productMissing) {
    errors.push(relationshipError('product', 'PRODUCT_NOT_FOUND', 'must exist'));
  }
  if (facts.environmentIncompatible) {
    errors.push(
      relationshipError(
        'environment',
        'ENVIRONMENT_NOT_ALLOWED',
        'must be compatible with product environment',
      ),
    );
  }
  if (e.subscriptions.length < 1) {
    errors.push(
      attributeError(
        'subscriptions',
        'SUBSCRIPTIONS_TOO_SHORT',
        'must have at least 1 webhook event subscription',
      ),
    );
  }
  errors.push(...urlErrors(e.url, rules));
  if ([...e.url].length > MAX_URL_LENGTH) {
    errors.push(
      attributeError(
        'url',
        'URL_TOO_LONG',
        `is too long (maximum is ${MAX_URL_LENGTH} characters)`,
      ),
    );
  }
  if (!(ENDPOINT_SIGNATURE_ALGORITHMS as readonly string[]).includes(e.signatureAlgorithm)) {
    errors.push(
      attributeError(
        'signatureAlgorithm',
        'SIGNATURE_ALGORITHM_NOT_ALLOWED',
        'unsupported signature algorithm',
      ),
    );
  }
  if (!subscriptionsAllowed(e.subscriptions)) {
    errors.push(
      attributeError(
        'subscriptions',
        'SUBSCRIPTIONS_NOT_ALLOWED',
        'unsupported webhook event type for subscription',
      ),
    );
  }
  return errors;
}

/** Exactly `["*"]`, or known names only (`*` is legal only alone; no patterns). */
export function subscriptionsAllowed(subscriptions: readonly string[]): boolean {
  if (subscriptions.length === 1 && subscriptions[0] === ALL_EVENTS) {
    return true;
  }
  return subscriptions.every((s) => isWebhookEventType(s));
}

/** Duplicates dropped, first-seen order kept (Keygen's `uniq` before save). */
export function uniqueSubscriptions(subscriptions: readonly string[]): string[] {
  return [...new Set(subscriptions)];
}

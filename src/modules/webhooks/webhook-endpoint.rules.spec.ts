import {
  subscriptionsAllowed,
  uniqueSubscriptions,
  webhookEndpointErrors,
} from './webhook-endpoint.rules';

const STRICT = { allowPrivateTargets: false, blockedHosts: ['api.keyward.test'] };
const RELAXED = { allowPrivateTargets: true, blockedHosts: ['api.keyward.test'] };
const NO_FACTS = { productMissing: false, environmentIncompatible: false };

const codes = (
  fields: Partial<{ url: string; subscriptions: string[]; signatureAlgorithm: string }>,
  rules = STRICT,
  facts = NO_FACTS,
) =>
  webhookEndpointErrors(
    { url: 'https://example.com', subscriptions: ['*'], signatureAlgorithm: 'ed25519', ...fields },
    facts,
    rules,
  ).map((e) => e.code);

describe('webhookEndpointErrors', () => {
  it.each([
    ['https://example.com', []],
    ['https://app.example', []],
    ['https://example.com/?token=xxx', []],
    ['https://example.com:8443/hooks?a=1', []],
    ['1230-12e9 c0ascka-ff.a!', ['URL_INVALID']],
    ['http://example.com', ['URL_PROTOCOL_INVALID']],
    ['ssh://example.com', ['URL_PROTOCOL_INVALID']],
    ['ftp://example.com', ['URL_PROTOCOL_INVALID']],
    ['https://invalid', ['URL_HOST_INVALID']],
    ['https://localhost', ['URL_HOST_INVALID']],
    ['https://127.0.0.1', ['URL_HOST_INVALID']],
    ['https://[::1]', ['URL_HOST_INVALID']],
    ['https://api.keygen.sh/v1/accounts/demo/webhook-events', ['URL_HOST_INVALID']],
    ['https://api.keyward.test/hooks', ['URL_HOST_INVALID']],
    ['http://localhost', ['URL_PROTOCOL_INVALID', 'URL_HOST_INVALID']],
  ])('url %s → %j', (url, expected) => {
    expect(codes({ url })).toEqual(expected);
  });

  it('rejects a url over 4096 characters', () => {
    expect(codes({ url: `https://example.com/${'a'.repeat(4076)}` })).toEqual([]);
    expect(codes({ url: `https://example.com/${'a'.repeat(4077)}` })).toEqual(['URL_TOO_LONG']);
  });

  it.each([
    ['http://127.0.0.1:8080/hook', []],
    ['http://localhost/hook', []],
    ['https://[::1]/hook', []],
    ['https://api.keygen.sh/hook', ['URL_HOST_INVALID']],
    ['https://api.keyward.test/hook', ['URL_HOST_INVALID']],
    ['ftp://example.com', ['URL_PROTOCOL_INVALID']],
  ])('with private targets allowed, url %s → %j', (url, expected) => {
    expect(codes({ url }, RELAXED)).toEqual(expected);
  });

  it('names the allowed protocols in the detail', () => {
    const [strict] = webhookEndpointErrors(
      { url: 'ftp://example.com', subscriptions: ['*'], signatureAlgorithm: 'ed25519' },
      NO_FACTS,
      STRICT,
    );
    expect(strict).toEqual({
      detail: 'must be a valid URL using one of the following protocols: https',
      code: 'URL_PROTOCOL_INVALID',
      source: { pointer: '/data/attributes/url' },
      links: {
        about: 'https://keygen.sh/docs/api/webhook-endpoints/#webhook-endpoints-object-attrs-url',
      },
    });
  });

  it.each([
    [['*'], []],
    [['license.created', 'machine.deleted'], []],
    [['account.subscription.canceled'], []],
    [[], ['SUBSCRIPTIONS_TOO_SHORT']],
    [['license.created', 'foo.bar'], ['SUBSCRIPTIONS_NOT_ALLOWED']],
    [['*', 'license.created'], ['SUBSCRIPTIONS_NOT_ALLOWED']],
    [['license.*'], ['SUBSCRIPTIONS_NOT_ALLOWED']],
    [['webhook-endpoint.created'], ['SUBSCRIPTIONS_NOT_ALLOWED']],
  ])('subscriptions %j → %j', (subscriptions, expected) => {
    expect(codes({ subscriptions })).toEqual(expected);
  });

  it.each([
    ['ed25519', []],
    ['rsa-pss-sha256', []],
    ['rsa-sha256', []],
    ['ecdsa-p256', []],
    ['sha1', ['SIGNATURE_ALGORITHM_NOT_ALLOWED']],
    ['ED25519', ['SIGNATURE_ALGORITHM_NOT_ALLOWED']],
  ])('signature algorithm %s → %j', (signatureAlgorithm, expected) => {
    expect(codes({ signatureAlgorithm })).toEqual(expected);
  });

  it("reports in Keygen's order", () => {
    expect(
      codes({ url: 'http://localhost', subscriptions: [], signatureAlgorithm: 'sha1' }, STRICT, {
        productMissing: false,
        environmentIncompatible: true,
      }),
    ).toEqual([
      'ENVIRONMENT_NOT_ALLOWED',
      'SUBSCRIPTIONS_TOO_SHORT',
      'URL_PROTOCOL_INVALID',
      'URL_HOST_INVALID',
      'SIGNATURE_ALGORITHM_NOT_ALLOWED',
    ]);
  });

  it('points relationship errors at the relationship', () => {
    const [env] = webhookEndpointErrors(
      { url: 'https://example.com', subscriptions: ['*'], signatureAlgorithm: 'ed25519' },
      { productMissing: false, environmentIncompatible: true },
      STRICT,
    );
    expect(env).toMatchObject({
      detail: 'must be compatible with product environment',
      code: 'ENVIRONMENT_NOT_ALLOWED',
      source: { pointer: '/data/relationships/environment' },
    });
  });
});

describe('subscriptions helpers', () => {
  it('drops duplicates keeping first-seen order', () => {
    expect(uniqueSubscriptions(['license.created', 'license.created', 'license.updated'])).toEqual([
      'license.created',
      'license.updated',
    ]);
  });

  it('allows * only alone', () => {
    expect(subscriptionsAllowed(['*'])).toBe(true);
    expect(subscriptionsAllowed(['*', '*'])).toBe(false);
  });
});

import { acceptAllowed, bodyTreatment, responseContentType } from './content-negotiation';

const API = 'application/vnd.api+json; charset=utf-8';
const JSON_ = 'application/json; charset=utf-8';

describe('content negotiation', () => {
  it.each([
    [undefined, API],
    ['*/*', API],
    ['*/*; q=0.5, application/xml', API],
    ['application/json', JSON_],
    ['application/json, text/plain, */*', JSON_],
    ['*/*, application/json, text/plain', JSON_],
    ['text/plain, application/vnd.api+json, application/json', API],
  ])('answers Accept %p with %s', (accept, expected) => {
    expect(acceptAllowed(accept)).toBe(true);
    expect(responseContentType(accept)).toBe(expected);
  });

  it.each(['application/xml', 'text/html', 'text/plain', 'text/plain, text/html'])('rejects Accept %s', (accept) => {
    expect(acceptAllowed(accept)).toBe(false);
  });

  it('rewrites a bare * to */*', () => {
    expect(acceptAllowed('*')).toBe(true);
  });

  it.each([
    [undefined, 'json'],
    ['application/vnd.api+json', 'json'],
    ['text/plain;charset=UTF-8', 'json'],
    ['application/x-www-form-urlencoded', 'json'],
    ['application/xml', 'skip'],
    ['application/octet-stream', 'skip'],
    ['vnd.api+xml', 'invalid'],
  ])('treats Content-Type %p as %s', (ct, expected) => {
    expect(bodyTreatment(ct)).toBe(expected);
  });

  it.each([
    ['application/octet-stream', true, false],
    ['application/vnd.keygen+json', true, false],
    ['application/vnd.api+json', true, true],
    ['application/json', true, true],
    ['*/*', true, true],
    ['text/html, application/json; q=0', true, true],
  ])('gates Accept %s (v1 routes: %s, account-level routes: %s)', (accept, v1, accountLevel) => {
    expect(acceptAllowed(accept)).toBe(v1);
    expect(acceptAllowed(accept, true)).toBe(accountLevel);
  });

  it.each([
    ['application/json, application/vnd.api+json', JSON_],
    ['application/json; q=0.5, application/vnd.api+json', API],
    ['application/vnd.keygen+json', API],
    ['APPLICATION/JSON', JSON_],
  ])('negotiates %s as %s', (accept, expected) => {
    expect(responseContentType(accept)).toBe(expected);
  });

  it.each([
    ['multipart/form-data; boundary=x', 'json'],
    ['Application/JSON; charset=utf-8', 'json'],
    ['text/html', 'skip'],
    ['application', 'invalid'],
    ['application/json/extra', 'invalid'],
    ['', 'json'],
  ])('treats Content-Type %p as %s', (ct, expected) => {
    expect(bodyTreatment(ct)).toBe(expected);
  });
});

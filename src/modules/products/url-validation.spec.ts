import { parseUri, urlProblems } from './url-validation';

const PROTOCOLS = ['https', 'http'];

describe('parseUri', () => {
  it.each([
    ['https://example.com/a?b#c', { scheme: 'https', host: 'example.com' }],
    ['HTTP://Example.COM', { scheme: 'http', host: 'Example.COM' }],
    ['http://user:pw@example.com:8080', { scheme: 'http', host: 'example.com' }],
    ['http:example.com', { scheme: 'http', host: null }],
    ['file:///boom.sh', { scheme: 'file', host: '' }],
    ['//example.com/x', { scheme: null, host: 'example.com' }],
    ['/var/www/index.html', { scheme: null, host: null }],
    ['http://[::1]/', { scheme: 'http', host: '[::1]' }],
  ])('parses %s', (value, parsed) => {
    expect(parseUri(value)).toEqual(parsed);
  });

  it.each([
    'http://exa mple.com',
    'http://example.com:port',
    'http://example.com/%zz',
    'http://ü.com',
    'a b',
  ])('rejects %s like Ruby URI.parse', (value) => {
    expect(parseUri(value)).toBeNull();
  });
});

describe('urlProblems', () => {
  it.each([
    ['https://example.com', []],
    ['http://sub.example.co.uk/', []],
    ['ftp://example.com', ['PROTOCOL_INVALID']],
    ['file:///boom.sh', ['PROTOCOL_INVALID', 'HOST_INVALID']],
    ['/var/www/index.html', ['PROTOCOL_INVALID', 'HOST_INVALID']],
    ['http://localhost', ['HOST_INVALID']],
    ['https://keygen.sh', ['HOST_INVALID']],
    ['https://dist.keygen.sh', ['HOST_INVALID']],
    ['https://other.keygen.sh', []],
    ['http://example.c', ['HOST_INVALID']],
    ['http://exa mple.com', ['INVALID']],
  ])('%s → %j', (value, problems) => {
    expect(urlProblems(value, PROTOCOLS)).toEqual(problems);
  });
});

import { classifyError, isPrivateAddress } from './webhook-transport';

const err = (code: string, extra: Partial<NodeJS.ErrnoException> = {}): NodeJS.ErrnoException =>
  Object.assign(new Error(extra.message ?? code), { code, ...extra });

describe('isPrivateAddress', () => {
  it.each([
    '10.0.0.1',
    '10.255.255.255',
    '172.16.0.1',
    '172.31.255.254',
    '192.168.1.1',
    '127.0.0.1',
    '127.8.8.8',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.1.2.3',
    '64:ff9b::a9fe:a9fe',
    'not an address',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:2800:220:1::1',
    '::ffff:8.8.8.8',
  ])('allows %s', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('classifyError', () => {
  it.each([
    [err('ECONNREFUSED', { syscall: 'connect' }), 'CONN_REFUSED'],
    [err('ECONNRESET', { syscall: 'read', message: 'read ECONNRESET' }), 'CONN_RESET'],
    [err('ECONNRESET', { message: 'socket hang up' }), 'EOF_ERROR'],
    [err('EPIPE'), 'CONN_RESET'],
    [err('ENETUNREACH'), 'NET_UNREACH'],
    [err('EHOSTUNREACH'), 'HOST_UNREACH'],
    [err('ENOTFOUND'), 'DNS_ERROR'],
    [err('EAI_AGAIN'), 'DNS_ERROR'],
    [err('WEBHOOK_TARGET_REFUSED'), 'DNS_ERROR'],
    [err('WEBHOOK_TIMEOUT'), 'REQ_TIMEOUT'],
    [err('ETIMEDOUT'), 'REQ_TIMEOUT'],
    [err('DEPTH_ZERO_SELF_SIGNED_CERT'), 'SSL_ERROR'],
    [err('ERR_TLS_CERT_ALTNAME_INVALID'), 'SSL_ERROR'],
    [err('ERR_SSL_WRONG_VERSION_NUMBER'), 'SSL_ERROR'],
    [err('HPE_INVALID_CONSTANT'), null],
  ])('%s → %s', (e, tag) => {
    expect(classifyError(e)).toBe(tag);
  });
});

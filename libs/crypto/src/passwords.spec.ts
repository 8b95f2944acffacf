import { hashPassword, verifyPassword } from './passwords';

describe('hashPassword / verifyPassword', () => {
  let hash: string;

  beforeAll(async () => {
    hash = await hashPassword('correct horse battery staple');
  });

  it('uses the scrypt$N$r$p$salt$hash format', () => {
    const parts = hash.split('$');
    expect(parts.slice(0, 4)).toEqual(['scrypt', '16384', '8', '1']);
    expect(Buffer.from(parts[4], 'base64')).toHaveLength(16);
    expect(Buffer.from(parts[5], 'base64')).toHaveLength(32);
  });

  it('verifies the right password and rejects a wrong one', async () => {
    await expect(verifyPassword('correct horse battery staple', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery stapler', hash)).resolves.toBe(false);
    await expect(verifyPassword('', hash)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    const again = await hashPassword('correct horse battery staple');
    expect(again).not.toBe(hash);
    await expect(verifyPassword('correct horse battery staple', again)).resolves.toBe(true);
  });

  it('rejects a tampered hash', async () => {
    const parts = hash.split('$');
    const bytes = Buffer.from(parts[5], 'base64');
    bytes[0] ^= 0x01;
    parts[5] = bytes.toString('base64');
    await expect(verifyPassword('correct horse battery staple', parts.join('$'))).resolves.toBe(
      false,
    );
  });

  it.each([
    '',
    'plain',
    '$2a$10$abcdefghijklmnopqrstuu',
    'scrypt$16384$8$1$c2FsdA==',
    'scrypt$16385$8$1$c2FsdA==$aGFzaA==',
    'scrypt$abc$8$1$c2FsdA==$aGFzaA==',
    'scrypt$16384$0$1$c2FsdA==$aGFzaA==',
    'scrypt$1073741824$8$1$c2FsdA==$aGFzaA==',
    'scrypt$16384$8$1$$aGFzaA==',
  ])('returns false for malformed hash %p', async (malformed) => {
    await expect(verifyPassword('password', malformed)).resolves.toBe(false);
  });
});

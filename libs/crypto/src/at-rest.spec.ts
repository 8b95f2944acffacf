import { SecretBox } from './at-rest';

describe('SecretBox', () => {
  const box = new SecretBox('master-key-for-tests');
  const pem = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n';

  it('round-trips plaintext', () => {
    const sealed = box.encrypt(pem);
    expect(box.decrypt(sealed)).toBe(pem);
    expect(box.decrypt(box.encrypt(''))).toBe('');
    expect(box.decrypt(box.encrypt('ünïcödé ✓'))).toBe('ünïcödé ✓');
  });

  it('uses the v1.<iv>.<tag>.<ciphertext> base64url format with a random IV', () => {
    const sealed = box.encrypt(pem);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(pem.slice(0, 20));
    expect(box.encrypt(pem)).not.toBe(sealed);
  });

  it('decrypts with another instance built from the same master key and salt', () => {
    expect(new SecretBox('master-key-for-tests').decrypt(box.encrypt(pem))).toBe(pem);
  });

  it('throws on tampered ciphertext, tag or IV', () => {
    const sealed = box.encrypt(pem);
    const parts = sealed.split('.');
    for (const index of [1, 2, 3]) {
      const bytes = Buffer.from(parts[index], 'base64url');
      bytes[0] ^= 0x01;
      const tampered = [...parts];
      tampered[index] = bytes.toString('base64url');
      expect(() => box.decrypt(tampered.join('.'))).toThrow(/decryption failed/);
    }
  });

  it('throws with a wrong master key or salt', () => {
    const sealed = box.encrypt(pem);
    expect(() => new SecretBox('other-key').decrypt(sealed)).toThrow(/wrong key or tampered/);
    expect(() => new SecretBox('master-key-for-tests', 'pepper').decrypt(sealed)).toThrow(
      /wrong key or tampered/,
    );
  });

  it('throws on malformed input', () => {
    expect(() => box.decrypt('v2.a.b.c')).toThrow(/malformed/);
    expect(() => box.decrypt('not sealed')).toThrow(/malformed/);
    expect(() => box.decrypt('v1.AAAA.AAAA.AAAA')).toThrow(/malformed/);
  });

  it('rejects an empty master key', () => {
    expect(() => new SecretBox('')).toThrow();
  });
});

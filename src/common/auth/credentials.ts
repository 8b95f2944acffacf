/** What the client presented, parsed from Authorization or ?token= / ?auth= (spec 01 §1.1). */
export type Credential =
  | { kind: 'none'; scheme: string }
  | { kind: 'token'; scheme: string; value: string }
  | { kind: 'license'; scheme: string; value: string }
  | { kind: 'password'; scheme: string; email: string; password: string }
  | { kind: 'invalid'; scheme: string };

function splitUserPass(decoded: string, scheme: string, allowPassword: boolean): Credential {
  const i = decoded.indexOf(':');
  if (i < 0) {
    return { kind: 'invalid', scheme };
  }
  const u = decoded.slice(0, i);
  const p = decoded.slice(i + 1);
  if (u === '' && p === '') {
    return { kind: 'invalid', scheme };
  }
  if (allowPassword && u.includes('@')) {
    return { kind: 'password', scheme, email: u, password: p };
  }
  if (u === 'license') {
    return { kind: 'license', scheme, value: p };
  }
  if (u === 'token') {
    return { kind: 'token', scheme, value: p };
  }
  return { kind: 'token', scheme, value: u };
}

function fromQueryValue(value: string): Credential {
  if (value.startsWith('license:')) {
    return { kind: 'license', scheme: 'Bearer', value: value.slice(8) };
  }
  if (value.startsWith('token:')) {
    return { kind: 'token', scheme: 'Bearer', value: value.slice(6) };
  }
  return { kind: 'token', scheme: 'Bearer', value };
}

/** Parses the credential; `allowPassword` enables Basic email:password (POST /tokens). */
export function parseCredential(
  authorization: string | undefined,
  query: Record<string, unknown>,
  allowPassword: boolean,
): Credential {
  const header = authorization?.trim() ?? '';
  if (header !== '') {
    const space = header.indexOf(' ');
    const word = space < 0 ? header : header.slice(0, space);
    const rest = space < 0 ? '' : header.slice(space + 1).trim();
    // compat: Keygen only recognises the exact-case words Bearer and Token.
    if (word === 'Bearer' || word === 'Token') {
      const value = rest.replace(/^token="?/, '').replace(/"$/, '').trim();
      return value ? { kind: 'token', scheme: word, value } : { kind: 'none', scheme: word };
    }
    if (word.toLowerCase() === 'basic') {
      const cleaned = rest.replace(/[^A-Za-z0-9+/=_-]/g, '');
      const decoded = Buffer.from(cleaned, 'base64').toString('utf8');
      return splitUserPass(decoded, 'Basic', allowPassword);
    }
    if (word.toLowerCase() === 'license') {
      return rest ? { kind: 'license', scheme: 'License', value: rest } : { kind: 'none', scheme: 'License' };
    }
  }
  const token = query.token ?? query.auth;
  if (typeof token === 'string' && token !== '') {
    return fromQueryValue(token);
  }
  return { kind: 'none', scheme: 'Bearer' };
}

import type { Response } from 'supertest';

/** Every response produced after account resolution is signed. */
export function expectSigned(res: Response): void {
  expect(res.headers['keygen-signature']).toMatch(
    /^keyid="[0-9a-f-]{36}", algorithm="ed25519", signature="/,
  );
  expect(res.headers.digest).toMatch(/^sha-256=/);
}

/** `{ data: { type: 'users', attributes, relationships? } }` */
export function userDoc(
  attributes: Record<string, unknown>,
  extra: { relationships?: Record<string, unknown>; type?: string; id?: string } = {},
): Record<string, unknown> {
  const data: Record<string, unknown> = { type: extra.type ?? 'users' };
  if (extra.id !== undefined) {
    data.id = extra.id;
  }
  data.attributes = attributes;
  if (extra.relationships) {
    data.relationships = extra.relationships;
  }
  return { data };
}

let n = 0;
/** A fresh, valid e-mail address. */
export function email(prefix = 'user'): string {
  n += 1;
  return `${prefix}-${Date.now().toString(36)}-${n}@keyward.example`;
}

export const FORBIDDEN = 'You do not have permission to complete the request';
export const FORBIDDEN_BEARER = `${FORBIDDEN} (ensure the token or license is allowed to access all resources)`;
export const FORBIDDEN_ANON = `${FORBIDDEN} (ensure a token or license is present and valid)`;

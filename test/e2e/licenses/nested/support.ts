import type { Response } from 'supertest';
import type { UserRole } from '@app/common/auth/roles';
import type { TestApp } from '../../../support/app';
import type { GivenAccount, GivenUser, given } from '../../../support/factories';

export type Given = ReturnType<typeof given>;

export const FORBIDDEN = 'You do not have permission to complete the request';
export const DENIED = `${FORBIDDEN} (ensure the token or license is allowed to access all resources)`;
export const lacks = (who: string): string =>
  `${FORBIDDEN} (${who} lacks permission to perform action)`;
export const denied = (detail = DENIED) => ({ title: 'Access denied', detail });

export const notFound = (model: string, id: string) => ({
  title: 'Not found',
  detail: `The requested ${model} '${id}' was not found`,
  code: 'NOT_FOUND',
});

export const ids = (body: { data: Array<{ id: string }> }): string[] => body.data.map((d) => d.id);

/** The admin-family roles besides admin: each reads every nested list. */
export const STAFF_ROLES: UserRole[] = ['developer', 'sales-agent', 'support-agent', 'read-only'];

/** One user per staff role (admin comes with the account). */
export async function staff(g: Given, a: GivenAccount): Promise<Array<[UserRole, GivenUser]>> {
  const out: Array<[UserRole, GivenUser]> = [];
  for (const role of STAFF_ROLES) {
    out.push([role, await g.user(a.account, { role })]);
  }
  return out;
}

/** A fresh account with products A and B and one policy of each (pA, pB). */
export async function twoProducts(g: Given, productA: Parameters<Given['product']>[1] = {}) {
  const a = await g.account();
  const A = await g.product(a.account, productA);
  const B = await g.product(a.account);
  const pA = await g.policy(a.account, { product: A.product });
  const pB = await g.policy(a.account, { product: B.product });
  return { a, productA: A, productB: B, pA, pB };
}

/**
 * The admin of `a` and a user of every other staff role list exactly `expected` at
 * `base`; answers the admin's response.
 */
export async function expectStaffList(
  t: TestApp,
  g: Given,
  a: GivenAccount,
  base: string,
  expected: string[],
): Promise<Response> {
  const res = await t.http.get(base).set(a.auth).expect(200);
  expect(ids(res.body)).toEqual(expected);
  for (const [role, s] of await staff(g, a)) {
    const r = await t.http.get(base).set(s.auth);
    expect([role, r.status, ids(r.body)]).toEqual([role, 200, expected]);
  }
  return res;
}

/** `auth` lists exactly `listed` at `base` and may show `shown` there. */
export async function expectListsAndShows(
  t: TestApp,
  base: string,
  auth: Record<string, string>,
  listed: string[],
  shown: string,
): Promise<void> {
  expect(ids((await t.http.get(base).set(auth).expect(200)).body)).toEqual(listed);
  await t.http.get(`${base}/${shown}`).set(auth).expect(200);
}

import type { UserRole } from '@app/common/auth/roles';
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

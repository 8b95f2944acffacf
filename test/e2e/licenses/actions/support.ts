import type { License } from '@app/modules/licenses/license.entity';
import type { Policy } from '@app/modules/policies/policy.entity';
import type { GivenAccount, given } from '../../../support/factories';

/**
 * Who calls a license route, relative to the license (spec 02 §0.1): the staff roles,
 * an environment, the license's product or another, its owner or a licensee (also on
 * protected licenses or policies), another user, the license itself or another.
 */
export const CALLERS = [
  'admin',
  'developer',
  'sales-agent',
  'support-agent',
  'read-only',
  'environment',
  'product',
  'other product',
  'owner',
  'owner of a protected license',
  'owner on a protected policy',
  'licensee',
  'licensee of a protected license',
  'other user',
  'license itself',
  'other license',
] as const;
export type CallerKind = (typeof CALLERS)[number];

export interface Fixture {
  policy?: Partial<Omit<Policy, 'id' | 'accountId' | 'productId' | 'environmentId'>>;
  license?: Partial<License>;
}

export interface Arranged {
  license: License;
  key: string;
  auth: Record<string, string>;
}

type Given = ReturnType<typeof given>;

/** A fresh license (per `fixture`) and the credentials of `caller` for it. */
export async function arrange(
  g: Given,
  a: GivenAccount,
  caller: CallerKind,
  fixture: Fixture = {},
): Promise<Arranged> {
  const account = a.account;
  const make = async (
    extra: { policy?: Partial<Policy>; license?: Record<string, unknown> } = {},
  ) => {
    const policy = await g.policy(account, { ...fixture.policy, ...extra.policy });
    return g.license(account, { policy, ...fixture.license, ...extra.license });
  };
  switch (caller) {
    case 'admin': {
      const l = await make();
      return { license: l.license, key: l.key, auth: a.auth };
    }
    case 'developer':
    case 'sales-agent':
    case 'support-agent':
    case 'read-only': {
      const u = await g.user(account, { role: caller });
      const l = await make();
      return { license: l.license, key: l.key, auth: u.auth };
    }
    case 'environment': {
      const env = await g.environment(account, { isolationStrategy: 'ISOLATED' });
      const policy = await g.policy(account, { ...fixture.policy, environment: env.environment });
      const l = await g.license(account, {
        policy,
        environment: env.environment,
        ...fixture.license,
      });
      return { license: l.license, key: l.key, auth: env.auth };
    }
    case 'product':
    case 'other product': {
      const own = await g.product(account);
      const policy = await g.policy(account, { ...fixture.policy, product: own.product });
      const l = await g.license(account, { policy, ...fixture.license });
      const auth = caller === 'product' ? own.auth : (await g.product(account)).auth;
      return { license: l.license, key: l.key, auth };
    }
    case 'owner':
    case 'owner of a protected license':
    case 'owner on a protected policy': {
      const u = await g.user(account);
      const l = await make({
        policy: caller === 'owner on a protected policy' ? { protected: true } : {},
        license: {
          owner: u.user,
          ...(caller === 'owner of a protected license' ? { protected: true } : {}),
        },
      });
      return { license: l.license, key: l.key, auth: u.auth };
    }
    case 'licensee':
    case 'licensee of a protected license': {
      const u = await g.user(account);
      const l = await make({
        license: caller === 'licensee' ? {} : { protected: true },
      });
      await g.licenseUser(l.license, u.user);
      return { license: l.license, key: l.key, auth: u.auth };
    }
    case 'other user': {
      const owner = await g.user(account);
      const u = await g.user(account);
      const l = await make({ license: { owner: owner.user } });
      return { license: l.license, key: l.key, auth: u.auth };
    }
    case 'license itself': {
      const l = await make();
      return { license: l.license, key: l.key, auth: l.auth };
    }
    case 'other license': {
      const l = await make();
      const other = await g.license(account);
      return { license: l.license, key: l.key, auth: other.auth };
    }
  }
}

/** Expected status per caller; callers outside the license's scope get 404. */
export function matrix(allowed: readonly CallerKind[], ok: number): Record<CallerKind, number> {
  const hidden: readonly CallerKind[] = ['other product', 'other user', 'other license'];
  return Object.fromEntries(
    CALLERS.map((c) => [c, allowed.includes(c) ? ok : hidden.includes(c) ? 404 : 403]),
  ) as Record<CallerKind, number>;
}

export const FORBIDDEN = 'You do not have permission to complete the request';
export const accessDenied = (reason: string) => ({
  title: 'Access denied',
  detail: `${FORBIDDEN} (${reason})`,
});
export const notFound = (id: string) => ({
  title: 'Not found',
  detail: `The requested license '${id}' was not found`,
  code: 'NOT_FOUND',
});

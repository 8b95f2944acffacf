import type { Bearer } from '@app/common/auth/bearer';
import { BearerLoaders } from '@app/common/auth/ports';
import type { RequestContext } from '@app/common/context/request-context';
import type { UsersRepository } from '@app/modules/users/users.repository';
import { TokenBearers } from './token-bearers';
import type { JoinedToken } from './token.entity';

const L1 = '00000000-0000-4000-8000-0000000000a1';
const L2 = '00000000-0000-4000-8000-0000000000a2';
const GONE = '00000000-0000-4000-8000-0000000000a3';
const P1 = '00000000-0000-4000-8000-0000000000b1';

const bearer = (type: Bearer['type'], id: string): Bearer => ({
  type,
  id,
  role: type === 'licenses' ? 'license' : 'product',
  permissions: [],
  environmentId: null,
  record: {},
});

const token = (bearerType: JoinedToken['bearerType'], bearerId: string): JoinedToken =>
  ({ bearerType, bearerId }) as JoinedToken;

describe('TokenBearers.attach', () => {
  it('loads a page of license and product bearers once per type, never once per token', async () => {
    const calls: string[] = [];
    const loaders = new BearerLoaders();
    loaders.register('licenses', {
      load: () => Promise.reject(new Error('one query per token')),
      loadMany: (_scope, ids) => {
        calls.push(`licenses:${[...ids].sort().join(',')}`);
        return Promise.resolve(
          new Map(ids.filter((id) => id !== GONE).map((id) => [id, bearer('licenses', id)])),
        );
      },
    });
    loaders.register('products', {
      load: (_scope, id) => {
        calls.push(`products:${id}`);
        return Promise.resolve(bearer('products', id));
      },
    });
    const bearers = new TokenBearers({} as UsersRepository, loaders);
    const ctx = { scope: { accountId: 'a', environmentId: null, shared: false } } as RequestContext;
    const tokens = [
      token('licenses', L1),
      token('licenses', L2),
      token('licenses', L1),
      token('licenses', GONE),
      token('products', P1),
      token('products', P1),
    ];
    const out = await bearers.attach(ctx, tokens);
    expect(calls).toEqual([`licenses:${[L1, L2, GONE].sort().join(',')}`, `products:${P1}`]);
    expect(out.map((t) => t.bearer?.id ?? null)).toEqual([L1, L2, L1, null, P1, P1]);
  });
});

import type { RequestContext } from '@app/common/context/request-context';
import { NotFoundError } from '@app/common/errors/api-error';
import type { User } from './user.entity';
import { userScope } from './user.policy';
import type { UsersRepository } from './users.repository';

/** `{id|email}` lookup inside the bearer's scope; out of scope or unknown → 404. */
export async function findUserInScope(
  repo: UsersRepository,
  ctx: RequestContext,
  value: string,
): Promise<User> {
  const user =
    value === '' ? null : await repo.findByAlias(ctx.scope, userScope(ctx.bearer), value);
  if (!user) {
    throw NotFoundError.record('user', value);
  }
  return user;
}

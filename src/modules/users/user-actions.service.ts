import { Injectable } from '@nestjs/common';
import type { RequestContext } from '@app/common/context/request-context';
import { DomainEvents } from '@app/common/events/domain-events';
import { User } from './user.entity';
import { emitUserEvent } from './user-events';
import { findUserInScope } from './user-lookup';
import { enforce, policyContext, userFacts, userPolicy } from './user.policy';
import { UsersRepository } from './users.repository';

/** Ban and unban (spec 01 §5.4.4). */
@Injectable()
export class UserActionsService {
  constructor(
    private readonly repo: UsersRepository,
    private readonly events: DomainEvents,
  ) {}

  ban(ctx: RequestContext, idOrEmail: string): Promise<User> {
    return this.setBanned(ctx, idOrEmail, 'ban');
  }

  unban(ctx: RequestContext, idOrEmail: string): Promise<User> {
    return this.setBanned(ctx, idOrEmail, 'unban');
  }

  /** compat: action routes match the e-mail exactly as given (no lower-casing). */
  private async setBanned(
    ctx: RequestContext,
    idOrEmail: string,
    action: 'ban' | 'unban',
  ): Promise<User> {
    const user = await findUserInScope(this.repo, ctx, idOrEmail);
    enforce(userPolicy.ban(policyContext(ctx), userFacts(user), action), !!ctx.bearer);
    const now = ctx.clock.now();
    const next = Object.assign(new User(), user, {
      bannedAt: action === 'ban' ? now : null,
      updatedAt: now,
    });
    await this.repo.update(ctx.scope, user.id, { bannedAt: next.bannedAt, updatedAt: now });
    emitUserEvent(this.events, action === 'ban' ? 'user.banned' : 'user.unbanned', ctx, next);
    return next;
  }
}

import { Injectable, Logger } from '@nestjs/common';
import {
  constantTimeEqual,
  generatePasswordResetToken,
  hashPassword,
  tokenDigest,
  verifyPassword,
} from '@libs/crypto';
import type { RequestContext } from '@app/common/context/request-context';
import { TransactionRunner } from '@app/common/database/transaction';
import { NotFoundError, UnprocessableError } from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type {
  RequestPasswordResetBody,
  ResetPasswordBody,
  UpdatePasswordBody,
} from './dto/user.params';
import { User } from './user.entity';
import { PasswordActionUnauthorizedError } from './user.errors';
import { emitUserEvent } from './user-events';
import { findUserInScope } from './user-lookup';
import { enforce, policyContext, userFacts, userPolicy } from './user.policy';
import { passwordErrors } from './user.rules';
import { UsersRepository } from './users.repository';

/** Reset tokens are valid for 24 hours (spec 01 §5.4.7). */
export const PASSWORD_RESET_TTL_MS = 24 * 60 * 60 * 1000;

/** update-password, reset-password and POST /passwords (spec 01 §5.4.5–7). No events but the reset request. */
@Injectable()
export class UserPasswordsService {
  private readonly logger = new Logger('UserPasswords');

  constructor(
    private readonly repo: UsersRepository,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  /** The user changes its own password; every other token of the user is revoked. */
  async updatePassword(
    ctx: RequestContext,
    idOrEmail: string,
    params: ParamsThunk<UpdatePasswordBody>,
  ): Promise<User> {
    const user = await findUserInScope(this.repo, ctx, idOrEmail);
    const { old_password: oldPassword, new_password: newPassword } = params().meta;
    enforce(userPolicy.updatePassword(policyContext(ctx), userFacts(user)), !!ctx.bearer);
    if (!user.passwordDigest || !(await verifyPassword(oldPassword, user.passwordDigest))) {
      throw new PasswordActionUnauthorizedError('is not valid', '/meta/oldPassword');
    }
    return this.replacePassword(ctx, user, newPassword, ctx.token?.id ?? null);
  }

  /**
   * Token-based reset: the user is looked up account-wide (anonymous route), and a
   * wrong token is a 404 so addresses cannot be enumerated. All tokens are revoked.
   */
  async resetPassword(
    ctx: RequestContext,
    idOrEmail: string,
    params: ParamsThunk<ResetPasswordBody>,
  ): Promise<User> {
    const user =
      idOrEmail === '' ? null : await this.repo.findByAliasInAccount(ctx.scope, idOrEmail);
    if (!user) {
      throw NotFoundError.record('user', idOrEmail);
    }
    const { password_reset_token: token, new_password: newPassword } = params().meta;
    // compat: Keygen never authenticates this route, so any credentials are ignored here.
    enforce(
      userPolicy.resetPassword(
        { ...policyContext(ctx), bearer: null, tokenPermissions: null },
        userFacts(user),
      ),
      false,
    );
    const digest = tokenDigest(ctx.account.secretKey, token);
    if (!user.passwordResetDigest || !constantTimeEqual(user.passwordResetDigest, digest)) {
      throw NotFoundError.record('user', idOrEmail);
    }
    const sentAt = user.passwordResetSentAt ? new Date(user.passwordResetSentAt).getTime() : 0;
    if (sentAt < ctx.clock.now().getTime() - PASSWORD_RESET_TTL_MS) {
      throw new PasswordActionUnauthorizedError('is expired', '/meta/passwordResetToken');
    }
    return this.replacePassword(ctx, user, newPassword, null);
  }

  /**
   * POST /passwords: always succeeds. A known e-mail gets a fresh reset token (the
   * previous one stops working); its raw value only travels in the event's meta.
   */
  async requestReset(ctx: RequestContext, body: RequestPasswordResetBody): Promise<void> {
    const user = await this.repo.findByEmailInAccount(ctx.scope, body.meta.email.toLowerCase());
    if (!user) {
      return;
    }
    const raw = generatePasswordResetToken();
    const now = ctx.clock.now();
    const next = Object.assign(new User(), user, {
      passwordResetDigest: tokenDigest(ctx.account.secretKey, raw),
      passwordResetSentAt: now,
      updatedAt: now,
    });
    await this.repo.update(ctx.scope, user.id, {
      passwordResetDigest: next.passwordResetDigest,
      passwordResetSentAt: now,
      updatedAt: now,
    });
    emitUserEvent(this.events, 'user.password-reset', ctx, next, { passwordResetToken: raw });
    if (body.meta.deliver !== false) {
      this.logger.debug(
        `password reset e-mail for user ${user.id} not sent: e-mail delivery is not configured`,
      );
    }
  }

  private async replacePassword(
    ctx: RequestContext,
    user: User,
    password: string,
    keepTokenId: string | null,
  ): Promise<User> {
    const errors = passwordErrors(password);
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }
    const now = ctx.clock.now();
    const next = Object.assign(new User(), user, {
      passwordDigest: await hashPassword(password),
      passwordResetDigest: null,
      passwordResetSentAt: null,
      updatedAt: now,
    });
    await this.tx.run(async (m) => {
      await this.repo.update(
        ctx.scope,
        user.id,
        {
          passwordDigest: next.passwordDigest,
          passwordResetDigest: null,
          passwordResetSentAt: null,
          updatedAt: now,
        },
        m,
      );
      await this.repo.revokeTokens(ctx.scope, user.id, keepTokenId, m);
    });
    return next;
  }
}

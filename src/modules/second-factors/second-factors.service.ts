import { enforce } from '@app/common/auth/policy';
import { Inject, Injectable } from '@nestjs/common';
import { SecretBox, generateTotpSecret, verifyPassword } from '@libs/crypto';
import type { Pagination } from '@libs/jsonapi';
import type { RequestContext } from '@app/common/context/request-context';
import { ConflictError, NotFoundError, UnauthorizedError } from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ListResult } from '@app/common/http/render';
import { uuidv4 } from '@app/common/ids';
import type { User } from '@app/modules/users/user.entity';
import { findUserInScope } from '@app/modules/users/user-lookup';
import { UsersRepository } from '@app/modules/users/users.repository';
import { OtpService } from './otp.service';
import { SecondFactor } from './second-factor.entity';
import { factsOf, secondFactorPolicy } from './second-factor.policy';
import { SecondFactorSerializer } from './second-factor.serializer';
import { SecondFactorsRepository } from './second-factors.repository';

export interface CreateSecondFactorMeta {
  password?: string;
  otp?: string;
}

/** A user's TOTP second factor (spec 01 §5.4.8); `userRef` is the user's id or email. */
@Injectable()
export class SecondFactorsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly repo: SecondFactorsRepository,
    private readonly otp: OtpService,
    @Inject(SecretBox) private readonly box: SecretBox,
    private readonly events: DomainEvents,
  ) {}

  async index(
    ctx: RequestContext,
    userRef: string,
    pagination: Pagination,
  ): Promise<ListResult<SecondFactor>> {
    const f = factsOf(ctx);
    const user = await findUserInScope(this.users, ctx, userRef);
    const page = await this.repo.listForUser(
      ctx.scope,
      secondFactorPolicy.scope(f.bearer),
      user.id,
      pagination,
    );
    enforce(secondFactorPolicy.index(f, user, page.rows));
    return { ...page, rows: page.rows.map((factor) => this.reveal(factor, user)) };
  }

  async show(ctx: RequestContext, userRef: string, id: string): Promise<SecondFactor> {
    const f = factsOf(ctx);
    const user = await findUserInScope(this.users, ctx, userRef);
    const factor = await this.load(ctx, user, id);
    enforce(secondFactorPolicy.show(f, user, factor));
    return this.reveal(factor, user);
  }

  async create(
    ctx: RequestContext,
    userRef: string,
    meta: CreateSecondFactorMeta,
  ): Promise<SecondFactor> {
    const f = factsOf(ctx);
    const user = await findUserInScope(this.users, ctx, userRef);
    const now = ctx.clock.now();
    const factor = Object.assign(new SecondFactor(), {
      id: uuidv4(),
      accountId: user.accountId,
      // Keygen defaults a new record to the current environment, else its parent's.
      environmentId: ctx.environment?.id ?? user.environmentId,
      userId: user.id,
      secret: this.box.encrypt(generateTotpSecret()),
      enabled: false,
      lastVerifiedStep: null,
      createdAt: now,
      updatedAt: now,
    });
    enforce(secondFactorPolicy.create(f, user, factor));

    // With a factor already enabled only the OTP proves the user; otherwise the password.
    const enabled = await this.otp.enabledFactor(ctx, user.id);
    if (enabled) {
      await this.otp.verify(ctx, enabled, meta.otp);
    } else if (!(await this.passwordMatches(user, meta.password))) {
      throw new UnauthorizedError('PASSWORD_INVALID', 'password must be valid', {
        source: { pointer: '/meta/password' },
      });
    }
    // compat: Keygen reaches the one-per-user unique index here (409, after the checks above).
    if (await this.repo.findForUser(ctx.scope, user.id)) {
      throw new ConflictError();
    }
    await this.repo.insert(ctx.scope, factor);
    this.emit('second-factor.created', ctx, factor);
    return this.reveal(factor, user);
  }

  async update(
    ctx: RequestContext,
    userRef: string,
    id: string,
    enabled: boolean,
    otp: string,
  ): Promise<SecondFactor> {
    const f = factsOf(ctx);
    const user = await findUserInScope(this.users, ctx, userRef);
    const factor = await this.load(ctx, user, id);
    enforce(secondFactorPolicy.update(f, user, factor));

    // This factor's own code, enabled or not (enabling proves the authenticator works).
    await this.otp.verify(ctx, factor, otp);
    const now = ctx.clock.now();
    await this.repo.setEnabled(ctx.scope, factor.id, enabled, now);
    const updated = Object.assign(new SecondFactor(), factor, { enabled, updatedAt: now });
    this.emit(enabled ? 'second-factor.enabled' : 'second-factor.disabled', ctx, updated);
    return this.reveal(updated, user);
  }

  async destroy(
    ctx: RequestContext,
    userRef: string,
    id: string,
    otp: string | undefined,
  ): Promise<void> {
    const f = factsOf(ctx);
    const user = await findUserInScope(this.users, ctx, userRef);
    const factor = await this.load(ctx, user, id);
    enforce(secondFactorPolicy.destroy(f, user, factor));

    const enabled = await this.otp.enabledFactor(ctx, user.id);
    if (enabled) {
      await this.otp.verify(ctx, enabled, otp);
    }
    await this.repo.delete(ctx.scope, factor.id);
    this.emit('second-factor.deleted', ctx, factor);
  }

  private async load(ctx: RequestContext, user: User, id: string): Promise<SecondFactor> {
    const factor = await this.repo.findByIdForUser(ctx.scope, user.id, id);
    if (!factor) {
      throw NotFoundError.record('second factor', id);
    }
    return factor;
  }

  private async passwordMatches(user: User, password: string | undefined): Promise<boolean> {
    if (!user.passwordDigest || password === undefined) {
      return false;
    }
    return await verifyPassword(password, user.passwordDigest);
  }

  /** The factor with what `uri`/`secret` need; rendered only while it is not enabled. */
  private reveal(factor: SecondFactor, user: User): SecondFactor {
    if (factor.enabled) {
      return factor;
    }
    return Object.assign(new SecondFactor(), factor, {
      otpSecret: this.box.decrypt(factor.secret),
      userEmail: user.email,
    });
  }

  /** Event payloads never carry the secret (webhook context omits uri/secret). */
  private emit(name: string, ctx: RequestContext, factor: SecondFactor): void {
    const { otpSecret: _secret, userEmail: _email, ...record } = factor;
    this.events.emit(name, ctx, {
      type: 'second-factors',
      id: factor.id,
      record: Object.assign(new SecondFactor(), record),
      serializer: SecondFactorSerializer as never,
    });
  }
}

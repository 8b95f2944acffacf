import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SecretBox, generateAccountKeys } from '@libs/crypto';
import { hasRole } from '@app/common/auth/bearer';
import type { RequestContext, ResolvedAccount } from '@app/common/context/request-context';
import {
  ForbiddenError,
  UnprocessableError,
  type ApiErrorItem,
} from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import { uuidv4 } from '@app/common/ids';
import { CURRENT_API_VERSION } from '@app/common/versioning/versions';
import { Account } from './account.entity';
import { AccountSerializer } from './account.serializer';
import { accountValidationErrors } from './account.errors';
import { AccountsCache } from './accounts.cache';
import { AccountsRepository } from './accounts.repository';

export interface NewAccount {
  id?: string;
  name: string | null;
  slug: string;
  protected?: boolean;
  apiVersion?: string;
}

export interface UpdateAccount {
  name?: string | null;
  slug?: string;
  api_version?: string;
  protected?: boolean;
}

export interface CreateAccountOptions {
  /**
   * Run the model validations (default true). Sign-up validates the slug the client sent
   * and then derives the final one, which Keygen stores without re-validating.
   */
  validate?: boolean;
}

/** Reasons Keygen's AccountPolicy gives (spec 00 §4.2). */
const NO_REASON = 'ensure the token or license is allowed to access all resources';
const ENV_MISMATCH = 'record is not compatible with the current environment';

@Injectable()
export class AccountsService {
  constructor(
    private readonly repo: AccountsRepository,
    private readonly cache: AccountsCache,
    private readonly events: DomainEvents,
    @Inject(SecretBox) private readonly box: SecretBox,
  ) {}

  /**
   * Keygen's account validations for a slug/name about to be saved, in its order. The slug
   * is checked as given: upper case is invalid even though create lower-cases on save.
   */
  async validationErrors(
    input: { slug?: string; name?: string | null },
    exceptId?: string,
  ): Promise<ApiErrorItem[]> {
    const slugTaken = input.slug !== undefined && (await this.repo.slugTaken(input.slug, exceptId));
    return accountValidationErrors({ slug: input.slug, name: input.name, slugTaken });
  }

  /** Whether an account uses this slug (case-insensitive). */
  slugExists(slug: string): Promise<boolean> {
    return this.repo.slugTaken(slug);
  }

  findById(id: string): Promise<Account | null> {
    return this.repo.findById(id);
  }

  /** The account with its decrypted signing material (e.g. to sign a response for it). */
  resolved(account: Account): ResolvedAccount {
    return this.cache.build(account);
  }

  /** Builds an account with fresh key material (private keys sealed) inside `m`. */
  async create(
    m: EntityManager,
    input: NewAccount,
    now: Date,
    opts: CreateAccountOptions = {},
  ): Promise<Account> {
    if (opts.validate !== false) {
      const errors = await this.validationErrors({ slug: input.slug, name: input.name });
      if (errors.length > 0) {
        throw new UnprocessableError(errors);
      }
    }
    const keys = generateAccountKeys();
    const account = Object.assign(new Account(), {
      id: input.id ?? uuidv4(),
      // compat: Keygen validates the slug as sent, then lower-cases it on create.
      slug: input.slug.toLowerCase(),
      name: input.name,
      apiVersion: input.apiVersion ?? CURRENT_API_VERSION,
      protected: input.protected ?? false,
      status: 'SUBSCRIBED',
      cname: null,
      domain: null,
      ed25519PublicKey: keys.ed25519PublicKeyHex,
      ed25519PrivateKey: this.box.encrypt(keys.ed25519PrivateKeyPem),
      rsaPublicKey: keys.rsaPublicKeyPem,
      rsaPrivateKey: this.box.encrypt(keys.rsaPrivateKeyPem),
      ecdsaPublicKey: keys.ecdsaPublicKeyPem,
      ecdsaPrivateKey: this.box.encrypt(keys.ecdsaPrivateKeyPem),
      secretKey: this.box.encrypt(keys.secretKey),
      createdAt: now,
      updatedAt: now,
    });
    await this.repo.insert(m, account);
    this.cache.forgetMisses();
    return account;
  }

  show(ctx: RequestContext): Account {
    return ctx.account.account;
  }

  async update(ctx: RequestContext, params: () => UpdateAccount): Promise<Account> {
    // AccountPolicy#update?: permissions (guard) → environment (strict; the account has no
    // environment, so any selected environment denies) → admin/developer only.
    if (ctx.environment) {
      throw ForbiddenError.because(ENV_MISMATCH);
    }
    if (!hasRole(ctx.bearer, 'admin', 'developer')) {
      throw ForbiddenError.because(NO_REASON);
    }
    const patch = params();
    const current = ctx.account.account;
    const changes: Partial<Account> = {};
    if (patch.name !== undefined) {
      changes.name = patch.name;
    }
    if (patch.slug !== undefined) {
      changes.slug = patch.slug;
    }
    const errors = await this.validationErrors(
      { slug: changes.slug, name: changes.name },
      current.id,
    );
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }
    if (patch.api_version !== undefined) {
      changes.apiVersion = patch.api_version;
    }
    if (patch.protected !== undefined) {
      changes.protected = patch.protected;
    }
    changes.updatedAt = ctx.clock.now();
    await this.repo.update(current.id, changes);
    const updated = Object.assign(new Account(), current, changes);
    this.invalidate(current.id);
    this.events.emit('account.updated', ctx, {
      type: 'accounts',
      id: updated.id,
      record: updated,
      serializer: AccountSerializer as never,
    });
    return updated;
  }

  destroy(_ctx: RequestContext): never {
    // compat: AccountPolicy#destroy? denies every authenticated bearer, without a reason.
    throw ForbiddenError.because(NO_REASON);
  }

  /** Bumps `updated` (Keygen's `touch: true` from account settings) and drops cached copies. */
  async touch(accountId: string, now: Date): Promise<void> {
    await this.repo.update(accountId, { updatedAt: now });
    this.invalidate(accountId);
  }

  private invalidate(accountId: string): void {
    this.cache.invalidate(accountId);
    // A slug change may make a recently missed slug resolvable.
    this.cache.forgetMisses();
  }
}

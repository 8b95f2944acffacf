import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SecretBox, generateAccountKeys } from '@libs/crypto';
import { isAdminFamily } from '@app/common/auth/bearer';
import type { RequestContext } from '@app/common/context/request-context';
import { ForbiddenError, UnprocessableError } from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import { uuidv4 } from '@app/common/ids';
import { CURRENT_API_VERSION } from '@app/common/versioning/versions';
import { Account } from './account.entity';
import { AccountSerializer } from './account.serializer';
import { NameTooLongError, SlugTakenError, slugErrors } from './account.errors';
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

@Injectable()
export class AccountsService {
  constructor(
    private readonly repo: AccountsRepository,
    private readonly cache: AccountsCache,
    private readonly events: DomainEvents,
    @Inject(SecretBox) private readonly box: SecretBox,
  ) {}

  /** Builds an account with fresh key material (private keys sealed) inside `m`. */
  async create(m: EntityManager, input: NewAccount, now: Date): Promise<Account> {
    const slug = input.slug.toLowerCase();
    const errors = slugErrors(slug);
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }
    if (input.name && input.name.length > 255) {
      throw new NameTooLongError();
    }
    if (await this.repo.slugTaken(slug)) {
      throw new SlugTakenError();
    }
    const keys = generateAccountKeys();
    const account = Object.assign(new Account(), {
      id: input.id ?? uuidv4(),
      slug,
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

  async update(ctx: RequestContext, patch: UpdateAccount): Promise<Account> {
    // compat: environment bearers may not update the account; nor may anyone from inside an environment.
    if (!isAdminFamily(ctx.bearer) || ctx.environment) {
      throw new ForbiddenError();
    }
    const current = ctx.account.account;
    const changes: Partial<Account> = {};
    if (patch.name !== undefined) {
      if (patch.name && patch.name.length > 255) {
        throw new NameTooLongError();
      }
      changes.name = patch.name;
    }
    if (patch.slug !== undefined) {
      const slug = patch.slug.toLowerCase();
      const errors = slugErrors(slug);
      if (errors.length > 0) {
        throw new UnprocessableError(errors);
      }
      if (await this.repo.slugTaken(slug, current.id)) {
        throw new SlugTakenError();
      }
      changes.slug = slug;
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
    this.cache.invalidate(current.id);
    this.events.emit('account.updated', ctx, {
      type: 'accounts',
      id: updated.id,
      record: updated,
      serializer: AccountSerializer as never,
    });
    return updated;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { AccountSigner, SecretBox } from '@libs/crypto';
import { AccountResolver } from '@app/common/auth/ports';
import { CacheBus, TtlCache } from '@app/common/cache/cache-bus';
import type { ResolvedAccount } from '@app/common/context/request-context';
import type { Account } from './account.entity';
import { AccountsRepository } from './accounts.repository';

const TOPIC = 'accounts';

/**
 * In-process account cache (id and slug keys) holding decrypted signing material,
 * so resolving an account costs no query on the hot path. Invalidated on update,
 * on this replica at once and on the others through the CacheBus.
 */
@Injectable()
export class AccountsCache extends AccountResolver {
  private readonly cache = new TtlCache<ResolvedAccount>(5 * 60_000);
  private readonly misses = new TtlCache<true>(2_000);

  constructor(
    private readonly repo: AccountsRepository,
    @Inject(SecretBox) private readonly box: SecretBox,
    private readonly bus: CacheBus,
  ) {
    super();
    bus.on(TOPIC, (id) => this.cache.deleteWhere((r) => r.account.id === id));
  }

  async resolve(idOrSlug: string): Promise<ResolvedAccount | null> {
    const key = idOrSlug.toLowerCase();
    const hit = this.cache.get(key);
    if (hit) {
      return hit;
    }
    if (this.misses.get(key)) {
      return null;
    }
    const account = await this.repo.findByIdOrSlug(idOrSlug);
    if (!account) {
      this.misses.set(key, true);
      return null;
    }
    const resolved = this.build(account);
    this.cache.set(key, resolved);
    return resolved;
  }

  /** Decrypts the key material once per cache fill. */
  build(account: Account): ResolvedAccount {
    return {
      account,
      signer: new AccountSigner({
        ed25519PrivateKeyPem: this.box.decrypt(account.ed25519PrivateKey),
        rsaPrivateKeyPem: this.box.decrypt(account.rsaPrivateKey),
        ecdsaPrivateKeyPem: this.box.decrypt(account.ecdsaPrivateKey),
      }),
      secretKey: this.box.decrypt(account.secretKey),
    };
  }

  invalidate(accountId: string): void {
    this.bus.invalidate(TOPIC, accountId);
  }

  /** Forget negative lookups (a new account was just created). */
  forgetMisses(): void {
    this.misses.deleteWhere(() => true);
  }
}

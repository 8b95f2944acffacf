import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SecretBox } from '@libs/crypto';
import {
  LicenseKeyError,
  buildKeyDataset,
  generateDefaultKey,
  generateLegacyEncryptedKey,
  hashLegacyKey,
  renderKeyTemplate,
  signLicenseKey,
  type LicenseKeyScheme,
  type LicenseKeySigningKeys,
  type SignedLicenseKeyScheme,
} from '@libs/licensing';
import type { RequestContext } from '@app/common/context/request-context';
import { UnprocessableError } from '@app/common/errors/api-error';
import { KeysService } from '@app/modules/keys/keys.service';
import type { Policy } from '@app/modules/policies/policy.entity';
import { keyGenerationError, poolEmptyError } from './license.rules';
import { LicenseRecordsRepository } from './license-records.repository';

/** The stored key columns and, for legacy licenses, the raw key shown once. */
export interface GeneratedKey {
  key: string | null;
  keyDigest: string | null;
  rawKey?: string;
}

/** What the key of a new license is built from (id, times and expiry are fixed first). */
export interface KeyInput {
  licenseId: string;
  created: Date;
  expiry: Date | null;
  owner: { id: string; email: string } | null;
  /** The client's `attributes.key` (a template when the policy has a scheme). */
  clientKey: string | null;
}

const LEGACY = 'LEGACY_ENCRYPT';

/**
 * Builds the key of a new license (spec 02 §4.4 step 4, §5), inside the create
 * transaction: a client key verbatim, a pool key, a legacy encrypted key (only its
 * hash is stored), a default-format key, or a signed/encrypted key from the client's
 * template or the default dataset. Failures are the spec's 422s.
 */
@Injectable()
export class LicenseKeyGenerator {
  constructor(
    private readonly records: LicenseRecordsRepository,
    private readonly keys: KeysService,
    private readonly box: SecretBox,
  ) {}

  async generate(
    ctx: RequestContext,
    policy: Policy,
    input: KeyInput,
    m: EntityManager,
  ): Promise<GeneratedKey> {
    const scheme = policy.scheme as LicenseKeyScheme | null;
    const legacy = policy.encrypted || scheme === LEGACY;
    if (input.clientKey === null) {
      if (legacy) {
        const raw = generateLegacyEncryptedKey(input.licenseId);
        return { key: null, keyDigest: await hashLegacyKey(raw), rawKey: raw };
      }
      if (scheme !== null) {
        return {
          key: this.sign(ctx, scheme, this.dataset(ctx, policy, scheme, input)),
          keyDigest: null,
        };
      }
      if (policy.usePool) {
        const popped = await this.keys.popForLicense(ctx.scope, policy.id, m);
        if (!popped) {
          throw new UnprocessableError(poolEmptyError());
        }
        return { key: popped.key, keyDigest: null };
      }
      return { key: await this.uniqueDefaultKey(ctx, m), keyDigest: null };
    }
    if (scheme !== null && !legacy) {
      const seed = renderKeyTemplate(input.clientKey, {
        account: ctx.scope.accountId,
        product: policy.productId,
        policy: policy.id,
        user: input.owner?.id ?? null,
        email: input.owner?.email ?? null,
        created: input.created.toISOString(),
        expiry: input.expiry ? input.expiry.toISOString() : null,
        duration: policy.duration,
        id: input.licenseId,
      });
      return { key: this.sign(ctx, scheme, seed), keyDigest: null };
    }
    return { key: input.clientKey, keyDigest: null };
  }

  private dataset(
    ctx: RequestContext,
    policy: Policy,
    scheme: LicenseKeyScheme,
    input: KeyInput,
  ): string {
    return buildKeyDataset(scheme, {
      accountId: ctx.scope.accountId,
      productId: policy.productId,
      policyId: policy.id,
      policyDuration: policy.duration,
      user: input.owner,
      licenseId: input.licenseId,
      created: input.created,
      expiry: input.expiry,
    });
  }

  private sign(ctx: RequestContext, scheme: LicenseKeyScheme, seed: string): string {
    try {
      return signLicenseKey(scheme as SignedLicenseKeyScheme, seed, this.signingKeys(ctx));
    } catch (e) {
      if (e instanceof LicenseKeyError) {
        throw new UnprocessableError(keyGenerationError(e.code, e.detail));
      }
      throw e;
    }
  }

  private signingKeys(ctx: RequestContext): LicenseKeySigningKeys {
    const a = ctx.account.account;
    return {
      ed25519PrivateKeyPem: this.box.decrypt(a.ed25519PrivateKey),
      rsaPrivateKeyPem: this.box.decrypt(a.rsaPrivateKey),
      ecdsaPrivateKeyPem: this.box.decrypt(a.ecdsaPrivateKey),
    };
  }

  /** Regenerates on the (astronomically unlikely) collision within the account. */
  private async uniqueDefaultKey(ctx: RequestContext, m: EntityManager): Promise<string> {
    for (;;) {
      const key = generateDefaultKey();
      if (!(await this.records.keyTakenInAccount(ctx.scope, key, m))) {
        return key;
      }
    }
  }
}

import { Injectable } from '@nestjs/common';
import type { AccountScope } from '@app/common/context/request-context';
import type { ReleaseMatch } from './license-validation';

/** The license facts release access depends on (entitlements, expiry window). */
export interface ReleaseAccessor {
  id: string;
  productId: string;
  policyId: string;
  expiry: Date | null;
  expirationStrategy: string | null;
}

/**
 * What validation's checksum and version scopes (spec 02 §6.3 6i/6j) ask of
 * releases. The releases module provides the real lookup by overriding this
 * provider; until then nothing matches, so the scopes answer *_SCOPE_MISMATCH.
 */
export abstract class ReleaseLookup {
  /**
   * The highest-version artifact of the license's product with this checksum that is
   * published, uploaded (not waiting, failed or yanked) and accessible to the license.
   */
  abstract artifactByChecksum(
    scope: AccountScope,
    license: ReleaseAccessor,
    checksum: string,
  ): Promise<ReleaseMatch | null>;

  /** A published release of the license's product with exactly this version, accessible to it. */
  abstract releaseByVersion(
    scope: AccountScope,
    license: ReleaseAccessor,
    version: string,
  ): Promise<ReleaseMatch | null>;
}

/** No releases exist yet (the distribution area is not built). */
@Injectable()
export class NoReleases extends ReleaseLookup {
  artifactByChecksum(): Promise<ReleaseMatch | null> {
    return Promise.resolve(null);
  }

  releaseByVersion(): Promise<ReleaseMatch | null> {
    return Promise.resolve(null);
  }
}

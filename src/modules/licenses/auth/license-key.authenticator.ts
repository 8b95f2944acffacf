import { Injectable } from '@nestjs/common';
import type { Bearer } from '@app/common/auth/bearer';
import { LicenseKeyAuthenticator } from '@app/common/auth/ports';
import { isVisible, type RequestContext } from '@app/common/context/request-context';
import { licenseBearer } from './license-bearer';
import { licenseInvalid, licenseKeyForbidden } from './license-auth.errors';
import { licenseKeyAuthFailure } from './license-auth.rules';
import { LicenseBearersRepository } from './license-bearers.repository';

/**
 * `Authorization: License <key>`, `Basic license:<key>` and `?auth=license:<key>`
 * (spec 01 §1.1, §1.4): one indexed read, the environment rule on the row (global:
 * global licenses; isolated: its own; shared: its own and global), then banned →
 * suspended → expired under REVOKE_ACCESS → the policy's authentication strategy.
 */
@Injectable()
export class LicenseKeyAuthenticatorImpl extends LicenseKeyAuthenticator {
  constructor(private readonly repo: LicenseBearersRepository) {
    super();
  }

  async authenticate(ctx: RequestContext, key: string): Promise<Bearer> {
    const record = await this.repo.findByKey(ctx.account.account.id, key);
    if (!record || !isVisible(ctx.scope, record.environmentId)) {
      throw licenseInvalid();
    }
    const failure = licenseKeyAuthFailure(
      { license: record, owner: record.owner, policy: record.policy },
      ctx.clock.now(),
    );
    if (failure) {
      throw licenseKeyForbidden(failure);
    }
    return licenseBearer(record);
  }
}

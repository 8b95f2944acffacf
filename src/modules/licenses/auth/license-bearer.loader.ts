import { Injectable, type OnModuleInit } from '@nestjs/common';
import { BearerLoaders } from '@app/common/auth/ports';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { licenseBearer } from './license-bearer';
import { LicenseBearersRepository } from './license-bearers.repository';

/**
 * Registers the `licenses` bearer loader, so license ("activation") tokens
 * authenticate and token routes resolve license bearers. Like Keygen, the bearer is
 * loaded by id in the account; environment compatibility is the policies' business.
 */
@Injectable()
export class LicenseBearerLoader implements OnModuleInit {
  constructor(
    private readonly repo: LicenseBearersRepository,
    private readonly loaders: BearerLoaders,
  ) {}

  onModuleInit(): void {
    this.loaders.register('licenses', {
      load: async (scope, id) => {
        if (!isUuidLike(id)) {
          return null;
        }
        const record = await this.repo.findById(scope.accountId, normalizeUuid(id));
        return record ? licenseBearer(record) : null;
      },
      loadMany: async (scope, ids) => {
        const uuids = ids.filter((id) => isUuidLike(id)).map((id) => normalizeUuid(id));
        const records = uuids.length > 0 ? await this.repo.findByIds(scope.accountId, uuids) : [];
        return new Map(records.map((r) => [r.id, licenseBearer(r)]));
      },
      // License tokens authenticate every heartbeat and activation: one round trip.
      joined: {
        select: this.repo.tokenSelect,
        join: this.repo.tokenJoin,
        fromRow: (row) => {
          const record = this.repo.fromTokenRow(row);
          return record ? licenseBearer(record) : null;
        },
      },
    });
  }
}

import { Injectable, type OnModuleInit } from '@nestjs/common';
import { BearerLoaders, EnvironmentResolver } from '@app/common/auth/ports';
import { CacheBus, TtlCache } from '@app/common/cache/cache-bus';
import type { Environment } from './environment.entity';
import { environmentBearer } from './environment-bearer';
import { EnvironmentsRepository } from './environments.repository';

const TOPIC = 'environments';

/** Resolves Keygen-Environment values from an in-process cache, invalidated across replicas. */
@Injectable()
export class EnvironmentsCache extends EnvironmentResolver implements OnModuleInit {
  private readonly cache = new TtlCache<Environment | null>(60_000);

  constructor(
    private readonly repo: EnvironmentsRepository,
    private readonly bus: CacheBus,
    private readonly loaders: BearerLoaders,
  ) {
    super();
    bus.on(TOPIC, (accountId) =>
      this.cache.deleteWhere((e) => e === null || e.accountId === accountId),
    );
  }

  onModuleInit(): void {
    this.loaders.register('environments', {
      load: async (scope, id) => {
        const env = await this.repo.findById(scope.accountId, id);
        return env ? environmentBearer(env) : null;
      },
    });
  }

  async resolve(accountId: string, idOrCode: string): Promise<Environment | null> {
    const key = `${accountId}:${idOrCode}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      return hit;
    }
    const env = await this.repo.findByIdOrCode(accountId, idOrCode);
    this.cache.set(key, env);
    return env;
  }

  /** Call after any environment write in the account. */
  invalidate(accountId: string): void {
    this.bus.invalidate(TOPIC, accountId);
  }
}

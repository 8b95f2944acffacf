import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import { SecretBox } from '@libs/crypto';
import { APP_CONFIG, type AppConfig } from '@app/config/app.config';
import { BearerLoaders } from './auth/ports';
import { CacheBus } from './cache/cache-bus';
import { Clock, SystemClock } from './clock/clock';
import { secretBoxFactory } from './crypto/secret-box.provider';
import { AdvisoryLock } from './database/advisory-lock';
import { PreparedQueries } from './database/prepared';
import { TransactionRunner } from './database/transaction';
import { DomainEvents } from './events/domain-events';
import { RecordedEvents } from './events/recorded-events';
import {
  MemoryFlagStore,
  RateLimitStore,
  RedisThrottlerStorage,
  ThrottlerRateLimitStore,
} from './http/rate-limit.store';
import { RateLimiter } from './http/rate-limiter';
import { ResponseFinalizer } from './http/response-finalizer';
import { JobsModule } from './jobs/jobs.module';
import { ScheduleRunner } from './jobs/schedule-runner';

export interface CoreOptions {
  config: AppConfig;
  clock?: Clock;
}

/** Shared mechanisms every module may inject. */
@Global()
@Module({})
export class CoreModule {
  static forRoot({ config, clock }: CoreOptions): DynamicModule {
    const redisStorage = config.redisUrl ? new RedisThrottlerStorage(config.redisUrl) : undefined;
    return {
      module: CoreModule,
      imports: [
        JobsModule.forRoot(config),
        ScheduleModule.forRoot(),
        // Counter storage for RateLimiter (Keygen's windows and limits live there).
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'keygen', ttl: 1000, limit: Number.MAX_SAFE_INTEGER }],
          storage: redisStorage,
        }),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: Clock, useValue: clock ?? new SystemClock() },
        { provide: SecretBox, useFactory: () => secretBoxFactory(config) },
        { provide: CacheBus, useFactory: () => new CacheBus(config.redisUrl) },
        BearerLoaders,
        DomainEvents,
        RecordedEvents,
        ResponseFinalizer,
        TransactionRunner,
        AdvisoryLock,
        PreparedQueries,
        ScheduleRunner,
        {
          // Rate-limit counters on @nestjs/throttler storage, shared through Redis when configured.
          provide: RateLimitStore,
          useFactory: (storage: ThrottlerStorage) =>
            new ThrottlerRateLimitStore(storage, redisStorage ?? new MemoryFlagStore()),
          inject: [ThrottlerStorage],
        },
        RateLimiter,
      ],
      exports: [
        APP_CONFIG,
        Clock,
        SecretBox,
        CacheBus,
        BearerLoaders,
        DomainEvents,
        RecordedEvents,
        ResponseFinalizer,
        TransactionRunner,
        AdvisoryLock,
        PreparedQueries,
        ScheduleRunner,
        JobsModule,
        RateLimiter,
      ],
    };
  }
}

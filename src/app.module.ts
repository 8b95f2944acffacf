import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from './config/app.config';
import { AuthenticationGuard } from './common/auth/authentication.guard';
import { PermissionGuard } from './common/auth/permission.guard';
import type { Clock } from './common/clock/clock';
import { CoreModule } from './common/core.module';
import { ApiExceptionFilter } from './common/http/api-exception.filter';
import { RenderInterceptor } from './common/http/render.interceptor';
import { dataSourceOptions } from './database/data-source';
import { DOMAIN_MODULES } from './modules';

export interface AppModuleOptions {
  config: AppConfig;
  databaseUrl: string;
  clock?: Clock;
  /** Mounted after the domain modules (the benchmark's baseline routes); empty in production. */
  extraModules?: Array<Type | DynamicModule>;
}

/**
 * The API application. Rate limits run earlier, in the HTTP middleware (like
 * Rack::Attack); guards run in order: authentication → permissions.
 */
@Module({})
export class AppModule {
  static forRoot(opts: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot({ config: opts.config, clock: opts.clock }),
        TypeOrmModule.forRoot(dataSourceOptions(opts.databaseUrl, opts.config.dbPoolSize)),
        ...DOMAIN_MODULES,
        ...(opts.extraModules ?? []),
      ],
      providers: [
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_GUARD, useClass: AuthenticationGuard },
        { provide: APP_GUARD, useClass: PermissionGuard },
        { provide: APP_INTERCEPTOR, useClass: RenderInterceptor },
      ],
    };
  }
}

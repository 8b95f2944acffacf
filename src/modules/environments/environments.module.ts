import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EnvironmentResolver } from '@app/common/auth/ports';
import { Environment } from './environment.entity';
import { EnvironmentsCache } from './environments.cache';
import { EnvironmentsRepository } from './environments.repository';

@Module({
  imports: [TypeOrmModule.forFeature([Environment])],
  providers: [EnvironmentsRepository, EnvironmentsCache, { provide: EnvironmentResolver, useExisting: EnvironmentsCache }],
  exports: [EnvironmentsCache, EnvironmentResolver],
})
export class EnvironmentsModule {}

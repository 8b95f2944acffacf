import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EnvironmentResolver } from '@app/common/auth/ports';
import { Environment } from './environment.entity';
import { EnvironmentsCache } from './environments.cache';
import { EnvironmentsController } from './environments.controller';
import { EnvironmentsRepository } from './environments.repository';
import { EnvironmentsService } from './environments.service';

@Module({
  imports: [TypeOrmModule.forFeature([Environment])],
  controllers: [EnvironmentsController],
  providers: [
    EnvironmentsRepository,
    EnvironmentsCache,
    EnvironmentsService,
    { provide: EnvironmentResolver, useExisting: EnvironmentsCache },
  ],
  exports: [EnvironmentsCache, EnvironmentResolver, EnvironmentsService],
})
export class EnvironmentsModule {}

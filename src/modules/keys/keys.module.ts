import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PoliciesModule } from '@app/modules/policies/policies.module';
import { ProductsModule } from '@app/modules/products/products.module';
import { Key } from './key.entity';
import { KeyRelationshipsController } from './key-relationships.controller';
import { KeyRelationshipsService } from './key-relationships.service';
import { KeysController } from './keys.controller';
import { KeysRepository } from './keys.repository';
import { KeysService } from './keys.service';
import { PolicyPoolController } from './policy-pool.controller';
import { PolicyPoolService } from './policy-pool.service';

/**
 * Pre-generated pool keys (spec 02 §3) and the policy pool routes (§2.6). Exports
 * KeysService for license creation on pooled policies (`popForLicense`).
 */
@Module({
  imports: [TypeOrmModule.forFeature([Key]), ProductsModule, PoliciesModule],
  controllers: [KeysController, KeyRelationshipsController, PolicyPoolController],
  providers: [KeysRepository, KeysService, KeyRelationshipsService, PolicyPoolService],
  exports: [KeysService],
})
export class KeysModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EntitlementsModule } from '@app/modules/entitlements/entitlements.module';
import { ProductsModule } from '@app/modules/products/products.module';
import './policy.versioning';
import { PolicyEntitlement } from './policy-entitlement.entity';
import { PolicyEntitlementsRepository } from './policy-entitlements.repository';
import { PolicyEntitlementsService } from './policy-entitlements.service';
import { Policy } from './policy.entity';
import { PolicyRelationshipsController } from './policy-relationships.controller';
import { PolicyRelationshipsService } from './policy-relationships.service';
import { PoliciesController } from './policies.controller';
import { PoliciesRepository } from './policies.repository';
import { PoliciesService } from './policies.service';
import { ProductPoliciesController } from './product-policies.controller';

@Module({
  imports: [
    TypeOrmModule.forFeature([Policy, PolicyEntitlement]),
    ProductsModule,
    EntitlementsModule,
  ],
  controllers: [PoliciesController, PolicyRelationshipsController, ProductPoliciesController],
  providers: [
    PoliciesRepository,
    PolicyEntitlementsRepository,
    PoliciesService,
    PolicyRelationshipsService,
    PolicyEntitlementsService,
  ],
  exports: [PoliciesService],
})
export class PoliciesModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TokensModule } from '@app/modules/tokens/tokens.module';
import { Product } from './product.entity';
import { ProductBearerLoader } from './product-bearer.loader';
import { ProductTokensController } from './product-tokens.controller';
import { ProductTokensService } from './product-tokens.service';
import { ProductsController } from './products.controller';
import { ProductsRepository } from './products.repository';
import { ProductsService } from './products.service';

@Module({
  imports: [TypeOrmModule.forFeature([Product]), TokensModule],
  controllers: [ProductsController, ProductTokensController],
  providers: [ProductsRepository, ProductsService, ProductTokensService, ProductBearerLoader],
  exports: [ProductsService],
})
export class ProductsModule {}

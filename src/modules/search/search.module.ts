import { Module } from '@nestjs/common';
import { EntitlementsModule } from '@app/modules/entitlements/entitlements.module';
import { GroupsModule } from '@app/modules/groups/groups.module';
import { LicensesModule } from '@app/modules/licenses/licenses.module';
import { LogsModule } from '@app/modules/logs/logs.module';
import { MachinesModule } from '@app/modules/machines/machines.module';
import { PoliciesModule } from '@app/modules/policies/policies.module';
import { ProductsModule } from '@app/modules/products/products.module';
import { UsersModule } from '@app/modules/users/users.module';
import { SearchController } from './search.controller';
import { SearchService } from './search.service';

/** `POST /search` across resource types; sits above every module it searches. */
@Module({
  imports: [
    EntitlementsModule,
    ProductsModule,
    PoliciesModule,
    LicensesModule,
    MachinesModule,
    UsersModule,
    GroupsModule,
    LogsModule,
  ],
  controllers: [SearchController],
  providers: [SearchService],
})
export class SearchModule {}

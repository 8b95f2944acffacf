import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountResolver } from '@app/common/auth/ports';
import { Account } from './account.entity';
import { AccountSetting } from './account-setting.entity';
import { AccountsCache } from './accounts.cache';
import { AccountsController } from './accounts.controller';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';

@Module({
  imports: [TypeOrmModule.forFeature([Account, AccountSetting])],
  controllers: [AccountsController],
  providers: [
    AccountsRepository,
    AccountsCache,
    AccountsService,
    { provide: AccountResolver, useExisting: AccountsCache },
  ],
  exports: [AccountsService, AccountsCache, AccountResolver],
})
export class AccountsModule {}

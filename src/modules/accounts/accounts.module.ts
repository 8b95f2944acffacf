import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountResolver } from '@app/common/auth/ports';
import { Account } from './account.entity';
import { AccountSetting } from './account-setting.entity';
import { AccountSettingsController } from './account-settings.controller';
import { AccountSettingsRepository } from './account-settings.repository';
import { AccountSettingsService } from './account-settings.service';
import { AccountsCache } from './accounts.cache';
import { AccountsController } from './accounts.controller';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';

@Module({
  imports: [TypeOrmModule.forFeature([Account, AccountSetting])],
  controllers: [AccountsController, AccountSettingsController],
  providers: [
    AccountsRepository,
    AccountsCache,
    AccountsService,
    AccountSettingsRepository,
    AccountSettingsService,
    { provide: AccountResolver, useExisting: AccountsCache },
  ],
  exports: [AccountsService, AccountSettingsService, AccountsCache, AccountResolver],
})
export class AccountsModule {}

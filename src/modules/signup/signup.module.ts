import { Module } from '@nestjs/common';
import { AccountsModule } from '@app/modules/accounts/accounts.module';
import { UsersModule } from '@app/modules/users/users.module';
import { SetupService } from './setup.service';

/** Orchestration above accounts and users: account sign-up and singleplayer first boot. */
@Module({
  imports: [AccountsModule, UsersModule],
  providers: [SetupService],
  exports: [SetupService],
})
export class SignupModule {}

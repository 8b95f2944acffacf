import { Module } from '@nestjs/common';
import { AccountsModule } from '@app/modules/accounts/accounts.module';
import { UsersModule } from '@app/modules/users/users.module';
import { FoundersRepository } from './founders.repository';
import { MultiplayerOnlyGuard } from './multiplayer-only.guard';
import { SetupService } from './setup.service';
import { SignupController } from './signup.controller';
import { SignupService } from './signup.service';

/** Orchestration above accounts and users: account sign-up and singleplayer first boot. */
@Module({
  imports: [AccountsModule, UsersModule],
  controllers: [SignupController],
  providers: [FoundersRepository, MultiplayerOnlyGuard, SignupService, SetupService],
  exports: [SetupService],
})
export class SignupModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '@app/modules/accounts/accounts.module';
import { PasswordsController } from './passwords.controller';
import { UserActionsController } from './user-actions.controller';
import { UserActionsService } from './user-actions.service';
import { User } from './user.entity';
import { UserPasswordsService } from './user-passwords.service';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User]), AccountsModule],
  controllers: [UsersController, UserActionsController, PasswordsController],
  providers: [UsersRepository, UsersService, UserActionsService, UserPasswordsService],
  // NOTE: the repository stays exported for authentication/tokens, which read users directly.
  exports: [UsersService, UsersRepository],
})
export class UsersModule {}

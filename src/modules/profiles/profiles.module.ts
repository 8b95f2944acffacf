import { Module } from '@nestjs/common';
import { EnvironmentsModule } from '@app/modules/environments/environments.module';
import { LicensesModule } from '@app/modules/licenses/licenses.module';
import { TokensModule } from '@app/modules/tokens/tokens.module';
import { UsersModule } from '@app/modules/users/users.module';
import { ProfilesController } from './profiles.controller';
import { ProfilesService } from './profiles.service';

/** `/me` and `/profile`: the current bearer. */
@Module({
  imports: [UsersModule, TokensModule, EnvironmentsModule, LicensesModule],
  controllers: [ProfilesController],
  providers: [ProfilesService],
})
export class ProfilesModule {}

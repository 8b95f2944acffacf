import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '@app/modules/users/users.module';
import { OtpService } from './otp.service';
import { SecondFactor } from './second-factor.entity';
import { SecondFactorsController } from './second-factors.controller';
import { SecondFactorsRepository } from './second-factors.repository';
import { SecondFactorsService } from './second-factors.service';

@Module({
  imports: [TypeOrmModule.forFeature([SecondFactor]), UsersModule],
  controllers: [SecondFactorsController],
  providers: [SecondFactorsRepository, OtpService, SecondFactorsService],
  exports: [OtpService, SecondFactorsRepository, SecondFactorsService],
})
export class SecondFactorsModule {}

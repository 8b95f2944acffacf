import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecondFactor } from './second-factor.entity';
import { OtpService } from './otp.service';
import { SecondFactorsRepository } from './second-factors.repository';

@Module({
  imports: [TypeOrmModule.forFeature([SecondFactor])],
  providers: [SecondFactorsRepository, OtpService],
  exports: [OtpService, SecondFactorsRepository],
})
export class SecondFactorsModule {}

import { Module } from '@nestjs/common';
import { PasswordAuthenticator } from '@app/common/auth/ports';
import { SecondFactorsModule } from '@app/modules/second-factors/second-factors.module';
import { UsersModule } from '@app/modules/users/users.module';
import { PasswordAuthenticatorImpl } from './password-authenticator';

/** Orchestration above users and second factors: password (+ OTP) login. */
@Module({
  imports: [UsersModule, SecondFactorsModule],
  providers: [PasswordAuthenticatorImpl, { provide: PasswordAuthenticator, useExisting: PasswordAuthenticatorImpl }],
  exports: [PasswordAuthenticator],
})
export class AuthenticationModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TokenAuthenticator } from '@app/common/auth/ports';
import { Token } from './token.entity';
import { TokenAuthenticatorImpl } from './token-authenticator';

@Module({
  imports: [TypeOrmModule.forFeature([Token])],
  providers: [TokenAuthenticatorImpl, { provide: TokenAuthenticator, useExisting: TokenAuthenticatorImpl }],
  exports: [TokenAuthenticator],
})
export class TokensModule {}

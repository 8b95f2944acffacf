import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TokenAuthenticator } from '@app/common/auth/ports';
import { EnvironmentsModule } from '@app/modules/environments/environments.module';
import { UsersModule } from '@app/modules/users/users.module';
import { BearerTokensService } from './bearer-tokens.service';
import { EnvironmentTokensController } from './environment-tokens.controller';
import { EnvironmentTokensService } from './environment-tokens.service';
import { Token } from './token.entity';
import { TokenAuthenticatorImpl } from './token-authenticator';
import { TokenBearers } from './token-bearers';
import { TokenIssuer } from './token-issuer';
import { TokensController } from './tokens.controller';
import { TokensRepository } from './tokens.repository';
import { TokensService } from './tokens.service';
import { UserTokensController } from './user-tokens.controller';
import { UserTokensService } from './user-tokens.service';

@Module({
  imports: [TypeOrmModule.forFeature([Token]), UsersModule, EnvironmentsModule],
  controllers: [TokensController, UserTokensController, EnvironmentTokensController],
  providers: [
    TokenAuthenticatorImpl,
    { provide: TokenAuthenticator, useExisting: TokenAuthenticatorImpl },
    TokensRepository,
    TokenBearers,
    TokenIssuer,
    TokensService,
    UserTokensService,
    EnvironmentTokensService,
    BearerTokensService,
  ],
  exports: [TokenAuthenticator, TokensService, BearerTokensService],
})
export class TokensModule {}

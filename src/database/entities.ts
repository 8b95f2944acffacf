import { Account } from '@app/modules/accounts/account.entity';
import { AccountSetting } from '@app/modules/accounts/account-setting.entity';
import { Environment } from '@app/modules/environments/environment.entity';
import { SecondFactor } from '@app/modules/second-factors/second-factor.entity';
import { Token } from '@app/modules/tokens/token.entity';
import { User } from '@app/modules/users/user.entity';

/** Every TypeORM entity (listed, not globbed, so ts-jest and dist both work). */
export const ENTITIES = [Account, AccountSetting, Environment, User, Token, SecondFactor];

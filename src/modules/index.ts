import { AccountsModule } from './accounts/accounts.module';
import { AuthenticationModule } from './authentication/authentication.module';
import { ComponentsModule } from './components/components.module';
import { EntitlementsModule } from './entitlements/entitlements.module';
import { EnvironmentsModule } from './environments/environments.module';
import { GroupsModule } from './groups/groups.module';
import { KeysModule } from './keys/keys.module';
import { LicensesModule } from './licenses/licenses.module';
import { LogsModule } from './logs/logs.module';
import { MachinesModule } from './machines/machines.module';
import { PoliciesModule } from './policies/policies.module';
import { ProductsModule } from './products/products.module';
import { ProcessesModule } from './processes/processes.module';
import { ProfilesModule } from './profiles/profiles.module';
import { SearchModule } from './search/search.module';
import { SecondFactorsModule } from './second-factors/second-factors.module';
import { SignupModule } from './signup/signup.module';
import { TokensModule } from './tokens/tokens.module';
import { UsersModule } from './users/users.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** Every domain module, in ownership order. */
export const DOMAIN_MODULES = [
  AccountsModule,
  EnvironmentsModule,
  UsersModule,
  GroupsModule,
  SecondFactorsModule,
  TokensModule,
  ProductsModule,
  EntitlementsModule,
  PoliciesModule,
  KeysModule,
  LicensesModule,
  MachinesModule,
  ComponentsModule,
  ProcessesModule,
  AuthenticationModule,
  SignupModule,
  ProfilesModule,
  WebhooksModule,
  LogsModule,
  SearchModule,
];

import { Account } from '@app/modules/accounts/account.entity';
import { AccountSetting } from '@app/modules/accounts/account-setting.entity';
import { Environment } from '@app/modules/environments/environment.entity';
import { Group } from '@app/modules/groups/group.entity';
import { GroupOwner } from '@app/modules/groups/group-owner.entity';
import { Entitlement } from '@app/modules/entitlements/entitlement.entity';
import { Policy } from '@app/modules/policies/policy.entity';
import { PolicyEntitlement } from '@app/modules/policies/policy-entitlement.entity';
import { Product } from '@app/modules/products/product.entity';
import { SecondFactor } from '@app/modules/second-factors/second-factor.entity';
import { Token } from '@app/modules/tokens/token.entity';
import { User } from '@app/modules/users/user.entity';
import { License, LicenseEntitlement, LicenseUser } from '@app/modules/licenses/license.entity';
import { Key } from '@app/modules/keys/key.entity';
import { Machine, MachineComponent, MachineProcess } from '@app/modules/machines/machine.entity';
import { WebhookEndpoint } from '@app/modules/webhooks/webhook-endpoint.entity';
import { WebhookEvent } from '@app/modules/webhooks/webhook-event.entity';
import { RequestLog } from '@app/modules/logs/request-log.entity';
import { EventLog } from '@app/modules/logs/event-log.entity';

/** Every TypeORM entity (listed, not globbed, so ts-jest and dist both work). */
export const ENTITIES = [
  Account,
  AccountSetting,
  Environment,
  User,
  Token,
  SecondFactor,
  Group,
  GroupOwner,
  Product,
  Entitlement,
  Policy,
  PolicyEntitlement,
  License,
  LicenseUser,
  LicenseEntitlement,
  Key,
  Machine,
  MachineComponent,
  MachineProcess,
  WebhookEndpoint,
  WebhookEvent,
  RequestLog,
  EventLog,
];

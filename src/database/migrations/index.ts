import { Identity1732250000000 } from './1732250000000-identity';
import { ProductsPoliciesEntitlements1732350000000 } from './1732350000000-products-policies-entitlements';
import { Groups1732400000000 } from './1732400000000-groups';
import { Licenses1732500000000 } from './1732500000000-licenses';
import { Machines1732550000000 } from './1732550000000-machines';
import { Webhooks1732600000000 } from './1732600000000-webhooks';
import { Logs1732610000000 } from './1732610000000-logs';
import { LogStorage1732611000000 } from './1732611000000-log-storage';
import { MachinesExtra1732700000000 } from './1732700000000-machines-extra';
import { LogStorageWithoutLz41732720000000 } from './1732720000000-log-storage-without-lz4';

/** Every migration, oldest first. Never edit one after it merged: add a new one. */
export const MIGRATIONS = [
  Identity1732250000000,
  ProductsPoliciesEntitlements1732350000000,
  Groups1732400000000,
  Licenses1732500000000,
  Machines1732550000000,
  Webhooks1732600000000,
  Logs1732610000000,
  LogStorage1732611000000,
  MachinesExtra1732700000000,
  LogStorageWithoutLz41732720000000,
];

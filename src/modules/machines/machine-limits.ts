import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ApiErrorItem } from '@app/common/errors/api-error';
import { effectiveLimits } from '@app/modules/licenses/license.view';
import {
  MachineActivationRepository,
  type LeasingBucket,
  type LicenseWithPolicy,
  type SummedAttribute,
} from './machine-activation.repository';
import { machineBaseError } from './machine.errors';
import { limitOf, withinLimit } from './machine.rules';

/** The machine facts the limits read. */
export interface LimitedMachine {
  id: string;
  ownerId: string | null;
  cores: number | null;
  memory: string | null;
  disk: string | null;
}

const RESOURCES: ReadonlyArray<{
  attr: SummedAttribute;
  limit: 'maxCores' | 'maxMemory' | 'maxDisk';
  code: string;
  noun: string;
}> = [
  {
    attr: 'cores',
    limit: 'maxCores',
    code: 'MACHINE_CORE_LIMIT_EXCEEDED',
    noun: 'machine core count',
  },
  {
    attr: 'memory',
    limit: 'maxMemory',
    code: 'MACHINE_MEMORY_LIMIT_EXCEEDED',
    noun: 'machine memory',
  },
  { attr: 'disk', limit: 'maxDisk', code: 'MACHINE_DISK_LIMIT_EXCEEDED', noun: 'machine disk' },
];

/** Keygen's lease_per_license? (the default) and lease_per_user?. */
function leasing(strategy: string | null): 'license' | 'user' | null {
  if (strategy === null || strategy === 'PER_LICENSE') {
    return 'license';
  }
  return strategy === 'PER_USER' ? 'user' : null;
}

/**
 * The machine limits of spec 03 §1.5.6, counted under the license row lock the
 * caller holds: machine count on create (with the first-machine rule), and cores,
 * memory and disk on create, update and owner change. Leasing PER_USER counts only
 * the machines with the same owner (the unowned ones are a bucket of their own).
 */
@Injectable()
export class MachineLimits {
  constructor(private readonly repo: MachineActivationRepository) {}

  async activationErrors(
    machine: Pick<LimitedMachine, 'ownerId'>,
    { license, policy }: LicenseWithPolicy,
    m: EntityManager,
  ): Promise<ApiErrorItem[]> {
    const max = effectiveLimits(license, policy).maxMachines;
    const lease = leasing(policy.machineLeasingStrategy);
    if (policy.overageStrategy === 'ALWAYS_ALLOW_OVERAGE' || max === null || lease === null) {
      return [];
    }
    const prev = await this.repo.countMachines(bucket(license.id, lease, machine.ownerId), m);
    // The first machine of a bucket is always allowed.
    if (prev === 0 || withinLimit(policy.overageStrategy, limitOf(max), BigInt(prev + 1))) {
      return [];
    }
    return [
      machineBaseError(
        'MACHINE_LIMIT_EXCEEDED',
        `machine count has exceeded maximum allowed for ${lease} (${max})`,
      ),
    ];
  }

  async resourceErrors(
    machine: LimitedMachine,
    { license, policy }: LicenseWithPolicy,
    m: EntityManager,
  ): Promise<ApiErrorItem[]> {
    const lease = leasing(policy.machineLeasingStrategy);
    if (policy.overageStrategy === 'ALWAYS_ALLOW_OVERAGE' || lease === null) {
      return [];
    }
    const limits = effectiveLimits(license, policy);
    const errors: ApiErrorItem[] = [];
    for (const r of RESOURCES) {
      const max = limits[r.limit];
      if (max === null) {
        continue;
      }
      const others = await this.repo.sumMachines(
        bucket(license.id, lease, machine.ownerId),
        r.attr,
        machine.id,
        m,
      );
      const own = machine[r.attr];
      const next = others + (own === null ? 0n : BigInt(own));
      if (!withinLimit(policy.overageStrategy, limitOf(max), next)) {
        errors.push(
          machineBaseError(r.code, `${r.noun} has exceeded maximum allowed for ${lease} (${max})`),
        );
      }
    }
    return errors;
  }
}

function bucket(
  licenseId: string,
  lease: 'license' | 'user',
  ownerId: string | null,
): LeasingBucket {
  return lease === 'user' ? { licenseId, owner: { id: ownerId } } : { licenseId };
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { License } from '@app/modules/licenses/license.entity';
import { Policy } from '@app/modules/policies/policy.entity';
import { MachineComponent } from './machine.entity';

/** A license with its policy, as activation and the owner/group changes read them. */
export interface LicenseWithPolicy {
  license: License;
  policy: Policy;
}

/** A user named as a machine's owner. */
export interface OwnerRow {
  id: string;
  environmentId: string | null;
  groupId: string | null;
}

/** A group a machine joins. */
export interface GroupRow {
  id: string;
  environmentId: string | null;
  maxMachines: number | null;
}

/** Where a fingerprint must be unique (machine and component uniqueness strategies). */
export type UniquenessScope =
  | { kind: 'account'; accountId: string }
  | { kind: 'product'; accountId: string; productId: string }
  | { kind: 'policy'; accountId: string; policyId: string }
  | { kind: 'license'; licenseId: string }
  | { kind: 'machine'; machineId: string };

/** The machines counted for a limit: the license's, or only one owner's (null is a bucket). */
export type LeasingBucket = { licenseId: string; owner?: { id: string | null } };

/** Summed machine attributes for the core, memory and disk limits. */
export type SummedAttribute = 'cores' | 'memory' | 'disk';

function bucketSql(b: LeasingBucket, params: unknown[]): string {
  params.push(b.licenseId);
  let sql = `m.license_id = $${params.length}`;
  if (b.owner) {
    if (b.owner.id === null) {
      sql += ' AND m.owner_id IS NULL';
    } else {
      params.push(b.owner.id);
      sql += ` AND m.owner_id = $${params.length}`;
    }
  }
  return sql;
}

/**
 * The reads and writes activation and the relationship changes validate against:
 * the license under a row lock (so concurrent activations serialise and cannot pass
 * a limit together), counts and sums per leasing bucket, uniqueness, owners, groups
 * and the license token's activation counter. Every method takes the transaction's
 * manager.
 */
@Injectable()
export class MachineActivationRepository {
  constructor(@InjectRepository(License) private readonly licenses: Repository<License>) {}

  /** The license by id anywhere in the account, with its policy; null when unknown. */
  async findLicense(
    accountId: string,
    id: string,
    m: EntityManager = this.licenses.manager,
  ): Promise<LicenseWithPolicy | null> {
    const license = await m.getRepository(License).findOneBy({ accountId, id });
    return license ? this.withPolicy(license, m) : null;
  }

  /** The same under `FOR UPDATE`: holds off other activations of this license until commit. */
  async lockLicense(
    accountId: string,
    id: string,
    m: EntityManager,
  ): Promise<LicenseWithPolicy | null> {
    const license = await m
      .getRepository(License)
      .createQueryBuilder('l')
      .where('l.account_id = :accountId AND l.id = :id', { accountId, id })
      .setLock('pessimistic_write')
      .getOne();
    return license ? this.withPolicy(license, m) : null;
  }

  private async withPolicy(license: License, m: EntityManager): Promise<LicenseWithPolicy | null> {
    const policy = await m.getRepository(Policy).findOneBy({ id: license.policyId });
    return policy ? { license, policy } : null;
  }

  /** A user of the account by id, any environment. */
  async findUser(accountId: string, id: string, m: EntityManager): Promise<OwnerRow | null> {
    const rows = (await m.query(
      'SELECT id, environment_id, group_id FROM users WHERE account_id = $1 AND id = $2',
      [accountId, id],
    )) as Array<{ id: string; environment_id: string | null; group_id: string | null }>;
    const r = rows[0];
    return r ? { id: r.id, environmentId: r.environment_id, groupId: r.group_id } : null;
  }

  /** Whether the user is the license's owner or one of its licensees. */
  async isLicenseUser(
    license: Pick<License, 'id' | 'ownerId'>,
    userId: string,
    m: EntityManager,
  ): Promise<boolean> {
    if (license.ownerId === userId) {
      return true;
    }
    const rows = (await m.query(
      'SELECT 1 FROM license_users WHERE license_id = $1 AND user_id = $2 LIMIT 1',
      [license.id, userId],
    )) as unknown[];
    return rows.length > 0;
  }

  /** A group of the account by id, without a lock (authorization reads). */
  async findGroup(accountId: string, id: string, m: EntityManager): Promise<GroupRow | null> {
    return this.group(accountId, id, m, '');
  }

  /** The group under `FOR UPDATE`, so concurrent joins cannot pass its machine limit. */
  async lockGroup(accountId: string, id: string, m: EntityManager): Promise<GroupRow | null> {
    return this.group(accountId, id, m, ' FOR UPDATE');
  }

  private async group(
    accountId: string,
    id: string,
    m: EntityManager,
    lock: string,
  ): Promise<GroupRow | null> {
    const rows = (await m.query(
      `SELECT id, environment_id, max_machines FROM groups WHERE account_id = $1 AND id = $2${lock}`,
      [accountId, id],
    )) as Array<{ id: string; environment_id: string | null; max_machines: number | null }>;
    const r = rows[0];
    return r ? { id: r.id, environmentId: r.environment_id, maxMachines: r.max_machines } : null;
  }

  async countGroupMachines(groupId: string, m: EntityManager): Promise<number> {
    const rows = (await m.query('SELECT count(*)::int AS n FROM machines WHERE group_id = $1', [
      groupId,
    ])) as Array<{ n: number }>;
    return rows[0].n;
  }

  /** Machines in the bucket, dead ones not yet culled included. */
  async countMachines(bucket: LeasingBucket, m: EntityManager): Promise<number> {
    const params: unknown[] = [];
    const rows = (await m.query(
      `SELECT count(*)::int AS n FROM machines m WHERE ${bucketSql(bucket, params)}`,
      params,
    )) as Array<{ n: number }>;
    return rows[0].n;
  }

  /** The sum of `attr` over the bucket's machines other than `exceptId`, exactly. */
  async sumMachines(
    bucket: LeasingBucket,
    attr: SummedAttribute,
    exceptId: string | null,
    m: EntityManager,
  ): Promise<bigint> {
    const params: unknown[] = [];
    let where = bucketSql(bucket, params);
    if (exceptId !== null) {
      params.push(exceptId);
      where += ` AND m.id <> $${params.length}`;
    }
    const rows = (await m.query(
      `SELECT coalesce(sum(m.${attr}), 0)::text AS n FROM machines m WHERE ${where}`,
      params,
    )) as Array<{ n: string }>;
    return BigInt(rows[0].n);
  }

  /** Whether any machine, in any account, has this id (Keygen's `Machine.exists?(id)`). */
  async machineIdTaken(id: string, m: EntityManager): Promise<boolean> {
    const rows = (await m.query('SELECT 1 FROM machines WHERE id = $1', [id])) as unknown[];
    return rows.length > 0;
  }

  /** Whether a machine of the account has this id (a fingerprint posing as a machine id). */
  async machineIdInAccount(accountId: string, id: string, m: EntityManager): Promise<boolean> {
    const rows = (await m.query('SELECT 1 FROM machines WHERE account_id = $1 AND id = $2', [
      accountId,
      id,
    ])) as unknown[];
    return rows.length > 0;
  }

  /** Whether a machine in `scope` already has the fingerprint (exact, case-sensitive). */
  async machineFingerprintTaken(
    scope: UniquenessScope,
    fingerprint: string,
    m: EntityManager,
  ): Promise<boolean> {
    const params: unknown[] = [fingerprint];
    const rows = (await m.query(
      `SELECT 1 FROM machines m WHERE md5(m.fingerprint) = md5($1) AND m.fingerprint = $1
         AND ${uniquenessSql(scope, params, 'm')} LIMIT 1`,
      params,
    )) as unknown[];
    return rows.length > 0;
  }

  /** The fingerprints among `fingerprints` a component in `scope` already has. */
  async takenComponentFingerprints(
    scope: UniquenessScope,
    fingerprints: readonly string[],
    m: EntityManager,
  ): Promise<Set<string>> {
    if (fingerprints.length === 0) {
      return new Set();
    }
    const params: unknown[] = [fingerprints];
    const rows = (await m.query(
      `SELECT DISTINCT c.fingerprint FROM machine_components c JOIN machines m ON m.id = c.machine_id
        WHERE c.fingerprint = ANY($1) AND ${uniquenessSql(scope, params, 'm', 'c')}`,
      params,
    )) as Array<{ fingerprint: string }>;
    return new Set(rows.map((r) => r.fingerprint));
  }

  async insertComponents(components: MachineComponent[], m: EntityManager): Promise<void> {
    if (components.length > 0) {
      await m.getRepository(MachineComponent).insert(components as never);
    }
  }

  /**
   * Adds 1 to a license token's activations or deactivations (spec 03 §1.5.1, §1.7).
   * `limit` when the token's max would be exceeded, `conflict` when its row is locked by
   * a concurrent change and the token has a max (without one the increment is skipped).
   */
  async incrementTokenCounter(
    tokenId: string,
    attr: 'activations' | 'deactivations',
    now: Date,
    m: EntityManager,
  ): Promise<
    { ok: true } | { ok: false; reason: 'limit'; max: number } | { ok: false; reason: 'conflict' }
  > {
    const max = attr === 'activations' ? 'max_activations' : 'max_deactivations';
    const rows = (await m.query(
      `SELECT ${attr} AS n, ${max} AS max FROM tokens WHERE id = $1 FOR UPDATE SKIP LOCKED`,
      [tokenId],
    )) as Array<{ n: number; max: number | null }>;
    if (rows.length === 0) {
      const exists = (await m.query(`SELECT ${max} AS max FROM tokens WHERE id = $1`, [
        tokenId,
      ])) as Array<{ max: number | null }>;
      return exists[0] && exists[0].max !== null ? { ok: false, reason: 'conflict' } : { ok: true };
    }
    const { n, max: limit } = rows[0];
    if (limit !== null && n + 1 > limit) {
      return { ok: false, reason: 'limit', max: limit };
    }
    await m.query(`UPDATE tokens SET ${attr} = ${attr} + 1, updated_at = $2 WHERE id = $1`, [
      tokenId,
      now,
    ]);
    return { ok: true };
  }

  /** FROM_FIRST_ACTIVATION: sets the expiry only when the license has none yet. */
  async setExpiryIfUnset(
    licenseId: string,
    expiry: Date,
    now: Date,
    m: EntityManager,
  ): Promise<void> {
    await m.query(
      'UPDATE licenses SET expiry = $2, updated_at = $3 WHERE id = $1 AND expiry IS NULL',
      [licenseId, expiry, now],
    );
  }
}

function uniquenessSql(
  scope: UniquenessScope,
  params: unknown[],
  machine: string,
  component?: string,
): string {
  switch (scope.kind) {
    case 'account':
      params.push(scope.accountId);
      return `${machine}.account_id = $${params.length}`;
    case 'product':
      params.push(scope.accountId, scope.productId);
      return `${machine}.account_id = $${params.length - 1} AND ${machine}.product_id = $${params.length}`;
    case 'policy':
      params.push(scope.accountId, scope.policyId);
      return `${machine}.account_id = $${params.length - 1} AND ${machine}.policy_id = $${params.length}`;
    case 'license':
      params.push(scope.licenseId);
      return `${machine}.license_id = $${params.length}`;
    case 'machine':
      params.push(scope.machineId);
      return `${component ?? machine}.${component ? 'machine_id' : 'id'} = $${params.length}`;
  }
}

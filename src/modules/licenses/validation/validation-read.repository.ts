import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { internPermissions } from '@app/common/auth/permissions';
import type { AccountScope } from '@app/common/context/request-context';
import { PreparedQueries } from '@app/common/database/prepared';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { Policy } from '@app/modules/policies/policy.entity';
import type { User } from '@app/modules/users/user.entity';
import { License } from '../license.entity';
import type { LicenseOwner, MachineStats } from '../license.view';
import type { MachineFacts, MachineTotals } from './license-validation';

/** A license as the hot validation read returns it, with what its document renders. */
export interface ValidationRead {
  license: License;
  owner: LicenseOwner | null;
  licensees: number;
  machineStats: MachineStats;
  /** The license's machines with a fingerprint from the list passed in (oldest first). */
  fingerprintMachines: MachineFacts[];
}

interface Row {
  id: string;
  environment_id: string | null;
  policy_id: string;
  product_id: string;
  owner_id: string | null;
  group_id: string | null;
  name: string | null;
  key: string | null;
  key_digest: string | null;
  expiry: Date | null;
  suspended: boolean;
  protected: boolean | null;
  uses: number;
  max_machines: number | null;
  max_processes: number | null;
  max_users: number | null;
  max_cores: number | null;
  max_memory: string | null;
  max_disk: string | null;
  max_uses: number | null;
  version: string | null;
  last_validated_at: Date | null;
  last_validated_checksum: string | null;
  last_validated_version: string | null;
  last_check_in_at: Date | null;
  last_check_out_at: Date | null;
  last_expiration_event_sent_at: Date | null;
  last_expiring_soon_event_sent_at: Date | null;
  last_check_in_event_sent_at: Date | null;
  last_check_in_soon_event_sent_at: Date | null;
  /** text[] literal, interned (see internPermissions); null = account default. */
  permissions: string | null;
  metadata: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  o_email: string | null;
  o_banned_at: Date | null;
  o_permissions: string | null;
  o_role: User['role'] | null;
  licensees: number;
  m_count: number;
  m_cores: string;
  m_memory: string;
  m_disk: string;
  fp_machines: MachineJson[] | null;
}

interface MachineJson {
  id: string;
  fingerprint: string;
  ownerId: string | null;
  ownerEmail: string | null;
  createdAt: string;
  lastHeartbeatAt: string | null;
  maxProcesses: number | null;
}

/** A machine as JSON for MachineFacts (process counts are loaded separately when needed). */
const MACHINE_JSON = `json_build_object(
  'id', m.id, 'fingerprint', m.fingerprint, 'ownerId', m.owner_id,
  'ownerEmail', (SELECT mo.email FROM users mo WHERE mo.id = m.owner_id),
  'createdAt', m.created_at, 'lastHeartbeatAt', m.last_heartbeat_at, 'maxProcesses', m.max_processes)`;

/**
 * One round trip for everything validate-key needs from the database: the license
 * row, its owner (banned flag, permissions), licensee count, and one pass over its
 * machines for the totals and the machines named by the fingerprint scope ($4,
 * '{}' when none; FILTER skips building the others). The environment rule (spec 01
 * §3.3) is applied in SQL so the statement keeps one plan.
 */
const READ = (where: string, order = ''): string => `
SELECT l.id, l.environment_id, l.policy_id, l.product_id, l.owner_id, l.group_id, l.name, l.key,
       l.key_digest, l.expiry, l.suspended, l.protected, l.uses, l.max_machines, l.max_processes,
       l.max_users, l.max_cores, l.max_memory::text AS max_memory, l.max_disk::text AS max_disk,
       l.max_uses, l.version, l.last_validated_at, l.last_validated_checksum, l.last_validated_version,
       l.last_check_in_at, l.last_check_out_at, l.last_expiration_event_sent_at,
       l.last_expiring_soon_event_sent_at, l.last_check_in_event_sent_at,
       l.last_check_in_soon_event_sent_at, l.permissions::text AS permissions, l.metadata,
       l.created_at, l.updated_at,
       o.email AS o_email, o.banned_at AS o_banned_at, o.permissions::text AS o_permissions,
       o.role AS o_role,
       (SELECT count(*)::int FROM license_users lu WHERE lu.license_id = l.id) AS licensees,
       ms.n AS m_count, ms.cores AS m_cores, ms.memory AS m_memory, ms.disk AS m_disk,
       ms.machines AS fp_machines
  FROM licenses l
  LEFT JOIN users o ON o.id = l.owner_id
  CROSS JOIN LATERAL (
    SELECT count(*)::int AS n, coalesce(sum(m.cores), 0)::text AS cores,
           coalesce(sum(m.memory), 0)::text AS memory, coalesce(sum(m.disk), 0)::text AS disk,
           json_agg(${MACHINE_JSON} ORDER BY m.created_at, m.id)
             FILTER (WHERE m.fingerprint = ANY($4::text[])) AS machines
      FROM machines m WHERE m.license_id = l.id) ms
 WHERE l.account_id = $1 AND ${where}
   AND (l.environment_id IS NOT DISTINCT FROM $3::uuid OR ($5::boolean AND l.environment_id IS NULL))
 ${order} LIMIT 1`;

const BY_KEY = READ('md5(l.key) = md5($2) AND l.key = $2');
const BY_ID = READ('l.id = $2::uuid');
/** `{id|key}` for a UUID-looking value (spec 02 §0.2): the id or the key ($6), oldest first. */
const BY_ALIAS = READ(
  '(l.id = $2::uuid OR (md5(l.key) = md5($6) AND l.key = $6))',
  'ORDER BY l.created_at',
);

const MACHINES = (where: string): string => `
SELECT ${MACHINE_JSON} AS machine
  FROM machines m
 WHERE m.account_id = $1 AND m.license_id = $2 AND ${where}
 ORDER BY m.created_at, m.id`;

/**
 * SQL of license validation (spec 02 §6). The hot read (validate-key) is a named
 * prepared statement on the pg pool; the scope-specific reads run only when the
 * scope or the policy's leasing strategy asks for them.
 */
@Injectable()
export class ValidationReadRepository {
  constructor(
    private readonly prepared: PreparedQueries,
    @InjectRepository(Policy) private readonly policies: Repository<Policy>,
  ) {}

  /** By exact (case-sensitive) key, visible from the scope's environment. */
  async findByKey(
    scope: AccountScope,
    key: string,
    fingerprints: readonly string[],
  ): Promise<ValidationRead | null> {
    const rows = await this.prepared.rows<Row>('keyward_validation_by_key', BY_KEY, [
      scope.accountId,
      key,
      scope.environmentId,
      fingerprints,
      scope.shared,
    ]);
    return rows[0] ? toRead(scope.accountId, rows[0]) : null;
  }

  /** By id, visible from the scope's environment (legacy encrypted lookup). */
  async findById(
    scope: AccountScope,
    id: string,
    fingerprints: readonly string[],
  ): Promise<ValidationRead | null> {
    if (!isUuidLike(id)) {
      return null;
    }
    const rows = await this.prepared.rows<Row>('keyward_validation_by_id', BY_ID, [
      scope.accountId,
      normalizeUuid(id),
      scope.environmentId,
      fingerprints,
      scope.shared,
    ]);
    return rows[0] ? toRead(scope.accountId, rows[0]) : null;
  }

  /**
   * By `{id|key}` as license routes find it (LicensesRepository.findByAlias): a
   * UUID-looking value matches the id or the key, anything else the key. Visible from
   * the scope's environment; the bearer's own access is the caller's to check.
   */
  async findByAlias(
    scope: AccountScope,
    value: string,
    fingerprints: readonly string[],
  ): Promise<ValidationRead | null> {
    if (!isUuidLike(value)) {
      return value === '' ? null : this.findByKey(scope, value, fingerprints);
    }
    const rows = await this.prepared.rows<Row>('keyward_validation_by_alias', BY_ALIAS, [
      scope.accountId,
      normalizeUuid(value),
      scope.environmentId,
      fingerprints,
      scope.shared,
      value,
    ]);
    return rows[0] ? toRead(scope.accountId, rows[0]) : null;
  }

  /** The license's machines whose fingerprint is in the list, oldest first. */
  async machinesByFingerprint(
    scope: AccountScope,
    licenseId: string,
    fingerprints: readonly string[],
  ): Promise<MachineFacts[]> {
    if (fingerprints.length === 0) {
      return [];
    }
    const rows = await this.prepared.rows<{ machine: MachineJson }>(
      'keyward_validation_fingerprints',
      MACHINES('m.fingerprint = ANY($3::text[])'),
      [scope.accountId, licenseId, fingerprints],
    );
    return rows.map((r) => toMachine(r.machine));
  }

  /** The license's machine with this id (a non-UUID matches nothing). */
  async machineById(
    scope: AccountScope,
    licenseId: string,
    id: string,
  ): Promise<MachineFacts | null> {
    if (!isUuidLike(id)) {
      return null;
    }
    const rows = await this.prepared.rows<{ machine: MachineJson }>(
      'keyward_validation_machine',
      MACHINES('m.id = $3::uuid'),
      [scope.accountId, licenseId, normalizeUuid(id)],
    );
    return rows[0] ? toMachine(rows[0].machine) : null;
  }

  /**
   * The license's user (owner ∪ licensees) whose id (UUID-looking values only) or
   * email equals `value`; the owner first.
   */
  async scopeUser(
    scope: AccountScope,
    licenseId: string,
    ownerId: string | null,
    value: string,
  ): Promise<{ id: string; email: string } | null> {
    const id = isUuidLike(value) ? normalizeUuid(value) : null;
    const rows = await this.prepared.rows<{ id: string; email: string }>(
      'keyward_validation_scope_user',
      `SELECT u.id, u.email FROM users u
        WHERE u.account_id = $1
          AND (u.id = $3::uuid OR EXISTS (
                SELECT 1 FROM license_users lu WHERE lu.license_id = $2 AND lu.user_id = u.id))
          AND (u.id = $4::uuid OR u.email = $5)
        ORDER BY (u.id = $3::uuid) DESC NULLS LAST, u.created_at
        LIMIT 1`,
      [scope.accountId, licenseId, ownerId, id, value],
    );
    return rows[0] ?? null;
  }

  /** How many entitlements of the license (its policy's ∪ its own) have one of these codes. */
  async entitlementMatches(
    scope: AccountScope,
    licenseId: string,
    policyId: string,
    codes: readonly string[],
  ): Promise<number> {
    const rows = await this.prepared.rows<{ n: number }>(
      'keyward_validation_entitlements',
      `SELECT count(*)::int AS n FROM entitlements e
        WHERE e.account_id = $1 AND e.code = ANY($4::text[])
          AND (EXISTS (SELECT 1 FROM license_entitlements le WHERE le.license_id = $2 AND le.entitlement_id = e.id)
            OR EXISTS (SELECT 1 FROM policy_entitlements pe WHERE pe.policy_id = $3 AND pe.entitlement_id = e.id))`,
      [scope.accountId, licenseId, policyId, codes],
    );
    return rows[0]?.n ?? 0;
  }

  /** Components of the license's machine with `fingerprint` whose fingerprint is in the list. */
  async componentMatches(
    scope: AccountScope,
    licenseId: string,
    fingerprint: string,
    components: readonly string[],
  ): Promise<number> {
    const rows = await this.prepared.rows<{ n: number }>(
      'keyward_validation_components',
      `SELECT count(*)::int AS n FROM machine_components c
        WHERE c.account_id = $1
          AND c.machine_id = (SELECT m.id FROM machines m
                               WHERE m.account_id = $1 AND m.license_id = $2 AND m.fingerprint = $3
                               ORDER BY m.created_at, m.id LIMIT 1)
          AND c.fingerprint = ANY($4::text[])`,
      [scope.accountId, licenseId, fingerprint, components],
    );
    return rows[0]?.n ?? 0;
  }

  /** PER_USER leasing: machines owned by the user (ownerless when null) and their processes. */
  async userBucket(
    scope: AccountScope,
    licenseId: string,
    ownerId: string | null,
  ): Promise<MachineTotals & { processes: number }> {
    const rows = await this.prepared.rows<{
      n: number;
      cores: string;
      memory: string;
      disk: string;
      processes: number;
    }>(
      'keyward_validation_user_bucket',
      `SELECT count(*)::int AS n, coalesce(sum(m.cores), 0)::text AS cores,
              coalesce(sum(m.memory), 0)::text AS memory, coalesce(sum(m.disk), 0)::text AS disk,
              coalesce(sum((SELECT count(*) FROM machine_processes mp WHERE mp.machine_id = m.id)), 0)::int AS processes
         FROM machines m
        WHERE m.account_id = $1 AND m.license_id = $2 AND m.owner_id IS NOT DISTINCT FROM $3::uuid`,
      [scope.accountId, licenseId, ownerId],
    );
    const r = rows[0];
    return {
      count: r.n,
      cores: Number(r.cores),
      memory: Number(r.memory),
      disk: Number(r.disk),
      processes: r.processes,
    };
  }

  /** Process counts of these machines (PER_MACHINE process leasing); absent = 0. */
  async processCounts(
    scope: AccountScope,
    machineIds: readonly string[],
  ): Promise<Map<string, number>> {
    if (machineIds.length === 0) {
      return new Map();
    }
    const rows = await this.prepared.rows<{ machine_id: string; n: number }>(
      'keyward_validation_machine_processes',
      `SELECT machine_id, count(*)::int AS n FROM machine_processes
        WHERE account_id = $1 AND machine_id = ANY($2::uuid[]) GROUP BY machine_id`,
      [scope.accountId, machineIds],
    );
    return new Map(rows.map((r) => [r.machine_id, r.n]));
  }

  /** PER_LICENSE process leasing: processes on every machine of the license. */
  async licenseProcesses(scope: AccountScope, licenseId: string): Promise<number> {
    const rows = await this.prepared.rows<{ n: number }>(
      'keyward_validation_license_processes',
      `SELECT count(*)::int AS n FROM machine_processes mp
         JOIN machines m ON m.id = mp.machine_id
        WHERE m.account_id = $1 AND m.license_id = $2`,
      [scope.accountId, licenseId],
    );
    return rows[0]?.n ?? 0;
  }

  async isLicensee(scope: AccountScope, licenseId: string, userId: string): Promise<boolean> {
    const rows = await this.prepared.rows<{ one: number }>(
      'keyward_validation_is_licensee',
      `SELECT 1 AS one FROM license_users
        WHERE account_id = $1 AND license_id = $2 AND user_id = $3 LIMIT 1`,
      [scope.accountId, licenseId, userId],
    );
    return rows.length > 0;
  }

  /** A policy by id in the account (policy cache misses). */
  findPolicy(accountId: string, id: string): Promise<Policy | null> {
    return this.policies.findOneBy({ accountId, id });
  }

  /**
   * FROM_FIRST_VALIDATION (spec 02 §4.5): sets the expiry only while it is null, so
   * it happens at most once however many validations race. True when this call set it.
   */
  async initialiseExpiry(
    scope: AccountScope,
    licenseId: string,
    expiry: Date,
    now: Date,
  ): Promise<boolean> {
    const rows = await this.prepared.rows<{ id: string }>(
      'keyward_validation_first_expiry',
      `UPDATE licenses SET expiry = $3, updated_at = $4
        WHERE account_id = $1 AND id = $2 AND expiry IS NULL RETURNING id`,
      [scope.accountId, licenseId, expiry, now],
    );
    return rows.length > 0;
  }

  /**
   * Writes a batch of validation touches (by license id, across accounts: the
   * licenses were found through scoped reads). Rows another transaction holds are skipped
   * (FOR UPDATE SKIP LOCKED): the write is best-effort load shedding, as Keygen's.
   * A later timestamp already stored wins; checksum and version only overwrite when set.
   */
  async touch(
    batch: ReadonlyArray<{
      licenseId: string;
      at: Date;
      checksum: string | null;
      version: string | null;
    }>,
  ): Promise<number> {
    if (batch.length === 0) {
      return 0;
    }
    const rows = await this.prepared.rows<{ id: string }>(
      'keyward_validation_touch',
      `WITH v AS (
         SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[])
           AS v(id, at, checksum, version)),
       locked AS (
         SELECT l.id FROM licenses l JOIN v ON v.id = l.id
          ORDER BY l.id FOR UPDATE OF l SKIP LOCKED)
       UPDATE licenses l
          SET last_validated_at = GREATEST(l.last_validated_at, v.at),
              last_validated_checksum = coalesce(v.checksum, l.last_validated_checksum),
              last_validated_version = coalesce(v.version, l.last_validated_version),
              updated_at = GREATEST(l.updated_at, v.at)
         FROM v
        WHERE l.id = v.id AND l.id IN (SELECT id FROM locked)
        RETURNING l.id`,
      [
        batch.map((t) => t.licenseId),
        batch.map((t) => t.at),
        batch.map((t) => t.checksum),
        batch.map((t) => t.version),
      ],
    );
    return rows.length;
  }
}

function toMachine(j: MachineJson): MachineFacts {
  return {
    id: j.id,
    fingerprint: j.fingerprint,
    ownerId: j.ownerId,
    ownerEmail: j.ownerEmail,
    createdAt: new Date(j.createdAt),
    lastHeartbeatAt: j.lastHeartbeatAt === null ? null : new Date(j.lastHeartbeatAt),
    maxProcesses: j.maxProcesses,
    processCount: 0,
  };
}

const numberOrNull = (v: string | null): number | null => (v === null ? null : Number(v));

function toRead(accountId: string, r: Row): ValidationRead {
  const license = Object.assign(new License(), {
    id: r.id,
    accountId,
    environmentId: r.environment_id,
    policyId: r.policy_id,
    productId: r.product_id,
    ownerId: r.owner_id,
    groupId: r.group_id,
    name: r.name,
    key: r.key,
    keyDigest: r.key_digest,
    expiry: r.expiry,
    suspended: r.suspended,
    protected: r.protected,
    uses: r.uses,
    maxMachines: r.max_machines,
    maxProcesses: r.max_processes,
    maxUsers: r.max_users,
    maxCores: r.max_cores,
    maxMemory: numberOrNull(r.max_memory),
    maxDisk: numberOrNull(r.max_disk),
    maxUses: r.max_uses,
    version: r.version,
    lastValidatedAt: r.last_validated_at,
    lastValidatedChecksum: r.last_validated_checksum,
    lastValidatedVersion: r.last_validated_version,
    lastCheckInAt: r.last_check_in_at,
    lastCheckOutAt: r.last_check_out_at,
    lastExpirationEventSentAt: r.last_expiration_event_sent_at,
    lastExpiringSoonEventSentAt: r.last_expiring_soon_event_sent_at,
    lastCheckInEventSentAt: r.last_check_in_event_sent_at,
    lastCheckInSoonEventSentAt: r.last_check_in_soon_event_sent_at,
    permissions: r.permissions === null ? null : (internPermissions(r.permissions) as string[]),
    metadata: r.metadata,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
  const owner: LicenseOwner | null =
    r.owner_id !== null && r.o_email !== null
      ? {
          id: r.owner_id,
          email: r.o_email,
          bannedAt: r.o_banned_at,
          permissions: internPermissions(r.o_permissions ?? '{}') as string[],
          role: r.o_role as User['role'],
        }
      : null;
  return {
    license,
    owner,
    licensees: r.licensees,
    machineStats: {
      count: r.m_count,
      cores: Number(r.m_cores),
      memory: Number(r.m_memory),
      disk: Number(r.m_disk),
    },
    fingerprintMachines: (r.fp_machines ?? []).map(toMachine),
  };
}

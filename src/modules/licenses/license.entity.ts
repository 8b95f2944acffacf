import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@app/common/database/bigint';

/**
 * A license (spec 02 §4). `key` is null only for legacy-encrypted licenses, whose
 * raw key is shown once and kept as `keyDigest` (bcrypt of its SHA-256 hex).
 * `productId` mirrors the policy's product. Limit columns are per-license
 * overrides (null = the policy's value). `status`, `nextCheckIn` and the effective
 * limits are computed, never stored.
 */
@Entity('licenses')
export class License {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('uuid', { nullable: true }) environmentId: string | null;
  @Column('uuid') policyId: string;
  @Column('uuid') productId: string;
  @Column('uuid', { nullable: true }) ownerId: string | null;
  @Column('uuid', { nullable: true }) groupId: string | null;
  @Column('text', { nullable: true }) name: string | null;
  @Column('text', { nullable: true }) key: string | null;
  @Column('text', { nullable: true }) keyDigest: string | null;
  @Column('timestamptz', { nullable: true }) expiry: Date | null;
  @Column('boolean') suspended: boolean;
  @Column('boolean', { nullable: true }) protected: boolean | null;
  @Column('integer') uses: number;
  @Column('integer', { nullable: true }) maxMachines: number | null;
  @Column('integer', { nullable: true }) maxProcesses: number | null;
  @Column('integer', { nullable: true }) maxUsers: number | null;
  @Column('integer', { nullable: true }) maxCores: number | null;
  @Column('bigint', { nullable: true, transformer: bigintNumber }) maxMemory: number | null;
  @Column('bigint', { nullable: true, transformer: bigintNumber }) maxDisk: number | null;
  @Column('integer', { nullable: true }) maxUses: number | null;
  @Column('text', { nullable: true }) version: string | null;
  @Column('timestamptz', { nullable: true }) lastValidatedAt: Date | null;
  @Column('text', { nullable: true }) lastValidatedChecksum: string | null;
  @Column('text', { nullable: true }) lastValidatedVersion: string | null;
  @Column('timestamptz', { nullable: true }) lastCheckInAt: Date | null;
  @Column('timestamptz', { nullable: true }) lastCheckOutAt: Date | null;
  @Column('timestamptz', { nullable: true }) lastExpirationEventSentAt: Date | null;
  @Column('timestamptz', { nullable: true }) lastExpiringSoonEventSentAt: Date | null;
  @Column('timestamptz', { nullable: true }) lastCheckInEventSentAt: Date | null;
  @Column('timestamptz', { nullable: true }) lastCheckInSoonEventSentAt: Date | null;
  /** Explicit permissions (EE); null = the account's default license set. */
  @Column('text', { array: true, nullable: true }) permissions: string[] | null;
  @Column('jsonb') metadata: Record<string, unknown>;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

/** A licensee: a user attached to a multi-user license besides its owner (§4.9). */
@Entity('license_users')
export class LicenseUser {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('uuid', { nullable: true }) environmentId: string | null;
  @Column('uuid') licenseId: string;
  @Column('uuid') userId: string;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

/** An entitlement attached to the license itself (the policy's come on top, §10.4). */
@Entity('license_entitlements')
export class LicenseEntitlement {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('uuid', { nullable: true }) environmentId: string | null;
  @Column('uuid') licenseId: string;
  @Column('uuid') entitlementId: string;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

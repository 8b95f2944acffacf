import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An activated machine (spec 03 §1). memory and disk stay strings (pg bigint
 * text) so 64-bit values round-trip exactly. policyId/productId mirror the
 * license's. Heartbeat status is computed at read time from lastHeartbeatAt.
 */
@Entity('machines')
export class Machine {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('uuid', { nullable: true }) environmentId: string | null;
  @Column('uuid') licenseId: string;
  @Column('uuid') policyId: string;
  @Column('uuid') productId: string;
  @Column('uuid', { nullable: true }) ownerId: string | null;
  @Column('uuid', { nullable: true }) groupId: string | null;
  @Column('text') fingerprint: string;
  @Column('text', { nullable: true }) name: string | null;
  @Column('text', { nullable: true }) ip: string | null;
  @Column('text', { nullable: true }) hostname: string | null;
  @Column('text', { nullable: true }) platform: string | null;
  @Column('integer', { nullable: true }) cores: number | null;
  @Column('bigint', { nullable: true }) memory: string | null;
  @Column('bigint', { nullable: true }) disk: string | null;
  @Column('integer', { nullable: true }) maxProcesses: number | null;
  @Column('timestamptz', { nullable: true }) lastHeartbeatAt: Date | null;
  @Column('timestamptz', { nullable: true }) lastDeathEventSentAt: Date | null;
  @Column('timestamptz', { nullable: true }) heartbeatClaimedUntil: Date | null;
  @Column('timestamptz', { nullable: true }) lastCheckOutAt: Date | null;
  @Column('jsonb') metadata: Record<string, unknown>;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

/** A hardware component of a machine (spec 03 §2). */
@Entity('machine_components')
export class MachineComponent {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('uuid', { nullable: true }) environmentId: string | null;
  @Column('uuid') machineId: string;
  @Column('text') fingerprint: string;
  @Column('text') name: string;
  @Column('jsonb') metadata: Record<string, unknown>;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

/** A leased process on a machine (spec 03 §3). */
@Entity('machine_processes')
export class MachineProcess {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('uuid', { nullable: true }) environmentId: string | null;
  @Column('uuid') machineId: string;
  @Column('text') pid: string;
  @Column('timestamptz') lastHeartbeatAt: Date;
  @Column('timestamptz', { nullable: true }) lastDeathEventSentAt: Date | null;
  @Column('timestamptz', { nullable: true }) heartbeatClaimedUntil: Date | null;
  @Column('jsonb') metadata: Record<string, unknown>;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

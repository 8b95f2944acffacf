import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@app/common/database/bigint';

@Entity('policies')
export class Policy {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('uuid', { nullable: true }) environmentId: string | null;
  @Column('uuid') productId: string;
  @Column('text', { nullable: true }) name: string | null;
  @Column('integer', { nullable: true }) duration: number | null;
  @Column('boolean') strict: boolean;
  @Column('boolean') floating: boolean;
  @Column('text', { nullable: true }) scheme: string | null;
  @Column('boolean') encrypted: boolean;
  @Column('boolean') usePool: boolean;
  @Column('boolean') protected: boolean;
  @Column('integer', { nullable: true }) maxMachines: number | null;
  @Column('integer', { nullable: true }) maxProcesses: number | null;
  @Column('integer', { nullable: true }) maxUsers: number | null;
  @Column('integer', { nullable: true }) maxCores: number | null;
  @Column('bigint', { nullable: true, transformer: bigintNumber }) maxMemory: number | null;
  @Column('bigint', { nullable: true, transformer: bigintNumber }) maxDisk: number | null;
  @Column('integer', { nullable: true }) maxUses: number | null;
  @Column('boolean') requireProductScope: boolean;
  @Column('boolean') requirePolicyScope: boolean;
  @Column('boolean') requireMachineScope: boolean;
  @Column('boolean') requireFingerprintScope: boolean;
  @Column('boolean') requireComponentsScope: boolean;
  @Column('boolean') requireUserScope: boolean;
  @Column('boolean') requireChecksumScope: boolean;
  @Column('boolean') requireVersionScope: boolean;
  @Column('boolean') requireCheckIn: boolean;
  @Column('text', { nullable: true }) checkInInterval: string | null;
  @Column('integer', { nullable: true }) checkInIntervalCount: number | null;
  @Column('boolean') requireHeartbeat: boolean;
  @Column('integer', { nullable: true }) heartbeatDuration: number | null;
  @Column('text', { nullable: true }) heartbeatCullStrategy: string | null;
  @Column('text', { nullable: true }) heartbeatResurrectionStrategy: string | null;
  @Column('text', { nullable: true }) heartbeatBasis: string | null;
  @Column('text', { nullable: true }) machineUniquenessStrategy: string | null;
  @Column('text', { nullable: true }) machineMatchingStrategy: string | null;
  @Column('text', { nullable: true }) componentUniquenessStrategy: string | null;
  @Column('text', { nullable: true }) componentMatchingStrategy: string | null;
  @Column('text', { nullable: true }) expirationStrategy: string | null;
  @Column('text', { nullable: true }) expirationBasis: string | null;
  @Column('text', { nullable: true }) renewalBasis: string | null;
  @Column('text', { nullable: true }) transferStrategy: string | null;
  @Column('text', { nullable: true }) authenticationStrategy: string | null;
  @Column('text', { nullable: true }) machineLeasingStrategy: string | null;
  @Column('text', { nullable: true }) processLeasingStrategy: string | null;
  @Column('text', { nullable: true }) overageStrategy: string | null;
  @Column('jsonb') metadata: Record<string, unknown>;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

/** The attributes a policy's writable fields map to (everything but ids and timestamps). */
export type PolicyAttributes = Omit<
  Policy,
  'id' | 'accountId' | 'environmentId' | 'productId' | 'createdAt' | 'updatedAt'
>;

/** The writable attributes of a new policy: booleans false, everything else unset. */
export function blankPolicyAttributes(): PolicyAttributes {
  return {
    name: null,
    duration: null,
    strict: false,
    floating: false,
    scheme: null,
    encrypted: false,
    usePool: false,
    protected: false,
    maxMachines: null,
    maxProcesses: null,
    maxUsers: null,
    maxCores: null,
    maxMemory: null,
    maxDisk: null,
    maxUses: null,
    requireProductScope: false,
    requirePolicyScope: false,
    requireMachineScope: false,
    requireFingerprintScope: false,
    requireComponentsScope: false,
    requireUserScope: false,
    requireChecksumScope: false,
    requireVersionScope: false,
    requireCheckIn: false,
    checkInInterval: null,
    checkInIntervalCount: null,
    requireHeartbeat: false,
    heartbeatDuration: null,
    heartbeatCullStrategy: null,
    heartbeatResurrectionStrategy: null,
    heartbeatBasis: null,
    machineUniquenessStrategy: null,
    machineMatchingStrategy: null,
    componentUniquenessStrategy: null,
    componentMatchingStrategy: null,
    expirationStrategy: null,
    expirationBasis: null,
    renewalBasis: null,
    transferStrategy: null,
    authenticationStrategy: null,
    machineLeasingStrategy: null,
    processLeasingStrategy: null,
    overageStrategy: null,
    metadata: {},
  };
}

/** A new policy row with the attribute defaults; callers set ids and timestamps. */
export function blankPolicy(): Policy {
  return Object.assign(new Policy(), blankPolicyAttributes());
}

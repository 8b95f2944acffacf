import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An entitlement attached to a policy (`policy-entitlements`). */
@Entity('policy_entitlements')
export class PolicyEntitlement {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('uuid', { nullable: true }) environmentId: string | null;
  @Column('uuid') policyId: string;
  @Column('uuid') entitlementId: string;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

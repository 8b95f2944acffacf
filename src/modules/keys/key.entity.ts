import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A pre-generated pool key of a pooled policy (spec 02 §3). */
@Entity('keys')
export class Key {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('uuid', { nullable: true }) environmentId: string | null;
  @Column('uuid') policyId: string;
  @Column('text') key: string;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('entitlements')
export class Entitlement {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('uuid', { nullable: true }) environmentId: string | null;
  @Column('text') name: string;
  @Column('text') code: string;
  @Column('jsonb') metadata: Record<string, unknown>;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

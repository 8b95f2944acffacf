import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('groups')
export class Group {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('uuid', { nullable: true }) environmentId: string | null;
  @Column('text') name: string;
  @Column('integer', { nullable: true }) maxUsers: number | null;
  @Column('integer', { nullable: true }) maxLicenses: number | null;
  @Column('integer', { nullable: true }) maxMachines: number | null;
  @Column('jsonb') metadata: Record<string, unknown>;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

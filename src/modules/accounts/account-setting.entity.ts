import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('account_settings')
export class AccountSetting {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('text') key: string;
  @Column('jsonb') value: unknown;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

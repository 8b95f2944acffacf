import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { UserRole } from '@app/common/auth/roles';

@Entity('users')
export class User {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('uuid', { nullable: true }) environmentId: string | null;
  @Column('uuid', { nullable: true }) groupId: string | null;
  @Column('text') email: string;
  @Column('text', { nullable: true }) passwordDigest: string | null;
  @Column('text', { nullable: true }) firstName: string | null;
  @Column('text', { nullable: true }) lastName: string | null;
  @Column('text') role: UserRole;
  @Column('text', { array: true }) permissions: string[];
  @Column('jsonb') metadata: Record<string, unknown>;
  @Column('timestamptz', { nullable: true }) bannedAt: Date | null;
  @Column('text', { nullable: true }) passwordResetDigest: string | null;
  @Column('timestamptz', { nullable: true }) passwordResetSentAt: Date | null;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

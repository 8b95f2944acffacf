import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user owning a group (`group-owners`): ownership grants reading the group's members. */
@Entity('group_owners')
export class GroupOwner {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('uuid', { nullable: true }) environmentId: string | null;
  @Column('uuid') groupId: string;
  @Column('uuid') userId: string;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

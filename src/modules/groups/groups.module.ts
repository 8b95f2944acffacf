import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '@app/modules/users/users.module';
import { GroupOwner } from './group-owner.entity';
import { GroupOwnersController } from './group-owners.controller';
import { GroupOwnersService } from './group-owners.service';
import { GroupUsersController } from './group-users.controller';
import { GroupUsersService } from './group-users.service';
import { Group } from './group.entity';
import { GroupsController } from './groups.controller';
import { GroupsRepository } from './groups.repository';
import { GroupsService } from './groups.service';
import { UserGroupController } from './user-group.controller';
import { UserGroupService } from './user-group.service';

/** Groups, their owners and members, and the users' group relationship (spec 01 §8). */
@Module({
  imports: [TypeOrmModule.forFeature([Group, GroupOwner]), UsersModule],
  controllers: [GroupsController, GroupOwnersController, GroupUsersController, UserGroupController],
  providers: [
    GroupsRepository,
    GroupsService,
    GroupOwnersService,
    GroupUsersService,
    UserGroupService,
  ],
  exports: [GroupsService],
})
export class GroupsModule {}

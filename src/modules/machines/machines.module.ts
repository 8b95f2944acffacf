import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '@app/modules/accounts/accounts.module';
import { EnvironmentsModule } from '@app/modules/environments/environments.module';
import { GroupsModule } from '@app/modules/groups/groups.module';
import { License } from '@app/modules/licenses/license.entity';
import { LicensesModule } from '@app/modules/licenses/licenses.module';
import { Policy } from '@app/modules/policies/policy.entity';
import { ProductsModule } from '@app/modules/products/products.module';
import { User } from '@app/modules/users/user.entity';
import { UsersModule } from '@app/modules/users/users.module';
import { MachineCheckoutService } from './files/machine-checkout.service';
import { MachineFilesController } from './files/machine-files.controller';
import { CullDeadMachinesJob } from './jobs/cull-dead-machines.job';
import {
  GroupMachinesController,
  LicenseMachinesController,
  ProductMachinesController,
  UserMachinesController,
} from './nested-machines.controller';
import { MachineActionsController } from './machine-actions.controller';
import { MachineActivationRepository } from './machine-activation.repository';
import { MachineActivationService } from './machine-activation.service';
import { MachineCullingService } from './machine-culling.service';
import { MachineHeartbeatService } from './machine-heartbeat.service';
import { MachineHeartbeatsRepository } from './machine-heartbeats.repository';
import { MachineLimits } from './machine-limits';
import { MachineProofService } from './machine-proof.service';
import { MachineRelationshipsController } from './machine-relationships.controller';
import { MachineRelationshipsRepository } from './machine-relationships.repository';
import { MachineRelationshipsService } from './machine-relationships.service';
import { Machine, MachineComponent, MachineProcess } from './machine.entity';
import { MachinesController } from './machines.controller';
import { MachinesRepository } from './machines.repository';
import { MachinesService } from './machines.service';
import { NestedMachinesService } from './nested-machines.service';

/**
 * Machines (spec 03 §1): activation with its limits, update, deactivation, lookups
 * by fingerprint, owner and group changes, heartbeats and their culling, machine files.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Machine, MachineComponent, MachineProcess, License, Policy, User]),
    AccountsModule,
    EnvironmentsModule,
    LicensesModule,
    ProductsModule,
    UsersModule,
    GroupsModule,
  ],
  controllers: [
    MachinesController,
    MachineActionsController,
    MachineFilesController,
    MachineRelationshipsController,
    LicenseMachinesController,
    ProductMachinesController,
    UserMachinesController,
    GroupMachinesController,
  ],
  providers: [
    MachinesRepository,
    MachineActivationRepository,
    MachineHeartbeatsRepository,
    MachineRelationshipsRepository,
    MachineLimits,
    MachinesService,
    MachineActivationService,
    MachineHeartbeatService,
    MachineRelationshipsService,
    MachineCheckoutService,
    MachineProofService,
    MachineCullingService,
    CullDeadMachinesJob,
    NestedMachinesService,
  ],
  exports: [MachinesService, MachineCullingService],
})
export class MachinesModule {}

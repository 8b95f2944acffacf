import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '@app/modules/accounts/accounts.module';
import { EnvironmentsModule } from '@app/modules/environments/environments.module';
import { LicensesModule } from '@app/modules/licenses/licenses.module';
import { MachineProcess } from '@app/modules/machines/machine.entity';
import { MachinesModule } from '@app/modules/machines/machines.module';
import { CullDeadProcessesJob } from './jobs/cull-dead-processes.job';
import { MachineProcessesController } from './machine-processes.controller';
import { ProcessActionsController } from './process-actions.controller';
import { ProcessCullingService } from './process-culling.service';
import { ProcessHeartbeatService } from './process-heartbeat.service';
import { ProcessHeartbeatsRepository } from './process-heartbeats.repository';
import { ProcessRelationshipsController } from './process-relationships.controller';
import { ProcessRelationshipsService } from './process-relationships.service';
import { ProcessSpawnService } from './process-spawn.service';
import { ProcessesController } from './processes.controller';
import { ProcessesRepository } from './processes.repository';
import { ProcessesService } from './processes.service';

/**
 * Machine processes (spec 03 §3): spawn under maxProcesses and the leasing strategy,
 * list (status at read time), update, kill, heartbeat ping with resurrection, the
 * relationship reads and a machine's processes, and the two-minute culling sweep.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([MachineProcess]),
    AccountsModule,
    EnvironmentsModule,
    LicensesModule,
    MachinesModule,
  ],
  controllers: [
    ProcessesController,
    ProcessActionsController,
    ProcessRelationshipsController,
    MachineProcessesController,
  ],
  providers: [
    ProcessesRepository,
    ProcessHeartbeatsRepository,
    ProcessesService,
    ProcessSpawnService,
    ProcessHeartbeatService,
    ProcessRelationshipsService,
    ProcessCullingService,
    CullDeadProcessesJob,
  ],
  exports: [ProcessesService, ProcessCullingService],
})
export class ProcessesModule {}

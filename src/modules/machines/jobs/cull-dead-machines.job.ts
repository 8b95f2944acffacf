import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobQueue, MACHINE_JOBS, QUEUES } from '@app/common/jobs/queues';
import { MachineCullingService, type MachineHeartbeatJob } from '../machine-culling.service';

/**
 * cull-dead-machines (every 2 minutes, common/jobs/schedules.ts) fans out one
 * machine-heartbeat check per claimed machine.
 */
@Injectable()
export class CullDeadMachinesJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobQueue,
    private readonly culling: MachineCullingService,
  ) {}

  onModuleInit(): void {
    this.jobs.process(QUEUES.schedules, MACHINE_JOBS.cullDeadMachines, async () => {
      await this.culling.sweep();
    });
    this.jobs.process(QUEUES.default, MACHINE_JOBS.machineHeartbeat, async (payload) => {
      await this.culling.check(payload as MachineHeartbeatJob);
    });
  }
}

import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobQueue, MACHINE_JOBS, QUEUES } from '@app/common/jobs/queues';
import { ProcessCullingService, type ProcessHeartbeatJob } from '../process-culling.service';

/**
 * cull-dead-processes (every 2 minutes, common/jobs/schedules.ts) fans out one
 * process-heartbeat check per claimed process.
 */
@Injectable()
export class CullDeadProcessesJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobQueue,
    private readonly culling: ProcessCullingService,
  ) {}

  onModuleInit(): void {
    this.jobs.process(QUEUES.schedules, MACHINE_JOBS.cullDeadProcesses, async () => {
      await this.culling.sweep();
    });
    this.jobs.process(QUEUES.default, MACHINE_JOBS.processHeartbeat, async (payload) => {
      await this.culling.check(payload as ProcessHeartbeatJob);
    });
  }
}

import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Clock } from '@app/common/clock/clock';
import { JobQueue, LICENSE_JOBS, QUEUES } from '@app/common/jobs/queues';
import { LicenseScheduledEvents } from './license-scheduled-events.service';

/**
 * Processors for the two license-event schedules (rows in common/jobs/schedules.ts):
 * each tick runs its sweep at the current time.
 */
@Injectable()
export class LicenseScheduledEventsJob implements OnModuleInit {
  constructor(
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly sweeps: LicenseScheduledEvents,
  ) {}

  onModuleInit(): void {
    this.jobs.process(QUEUES.schedules, LICENSE_JOBS.expirations, async () => {
      await this.sweeps.expirations(this.clock.now());
    });
    this.jobs.process(QUEUES.schedules, LICENSE_JOBS.overdueCheckIns, async () => {
      await this.sweeps.overdueCheckIns(this.clock.now());
    });
  }
}

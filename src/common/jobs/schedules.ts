import { LICENSE_JOBS, LOG_JOBS, MACHINE_JOBS, QUEUES, WEBHOOK_JOBS, type QueueName } from './queues';

/**
 * Every cron in one table. ScheduleRunner registers them in processes that run
 * jobs; each tick enqueues with a deterministic job id (`<name>:<tick>`) so N
 * replicas produce one job per tick. A cron only fans out; per-item jobs re-read
 * state and are idempotent.
 */
export interface ScheduleRow {
  name: string;
  /** Six-field cron (seconds first) or five-field. */
  cron: string;
  queue: QueueName;
  job: string;
}

export const SCHEDULES: ScheduleRow[] = [
  // Heartbeat culling (spec 07 §1.1): every 2 minutes.
  { name: 'cull-dead-machines', cron: '0 */2 * * * *', queue: QUEUES.schedules, job: MACHINE_JOBS.cullDeadMachines },
  { name: 'cull-dead-processes', cron: '0 */2 * * * *', queue: QUEUES.schedules, job: MACHINE_JOBS.cullDeadProcesses },
  // License expired / expiring-soon and check-in overdue / required-soon events (spec 02 §11).
  { name: 'license-expirations', cron: '0 */10 * * * *', queue: QUEUES.schedules, job: LICENSE_JOBS.expirations },
  { name: 'license-overdue-check-ins', cron: '0 */10 * * * *', queue: QUEUES.schedules, job: LICENSE_JOBS.overdueCheckIns },
  // Webhook-event retention (spec 05 §2.4): daily at 06:00 UTC.
  { name: 'prune-webhook-events', cron: '0 0 6 * * *', queue: QUEUES.webhooks, job: WEBHOOK_JOBS.prune },
  // Request-log / event-log retention (spec 07 §1.1): daily at 03:00 / 04:00 UTC.
  { name: 'prune-request-logs', cron: '0 0 3 * * *', queue: QUEUES.logs, job: LOG_JOBS.pruneRequestLogs },
  { name: 'prune-event-logs', cron: '0 0 4 * * *', queue: QUEUES.logs, job: LOG_JOBS.pruneEventLogs },
];

export const SCHEDULE_QUEUE = QUEUES.schedules;

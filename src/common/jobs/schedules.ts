import { QUEUES, type QueueName } from './queues';

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
  // Later issues add: cull dead machines (every 2 min), license expiry events (every 10 min),
  // request/event log retention, webhook-event pruning.
];

export const SCHEDULE_QUEUE = QUEUES.schedules;

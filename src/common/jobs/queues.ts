/** Queue names (constants, never re-spelled inline). */
export const QUEUES = {
  default: 'default',
  webhooks: 'webhooks',
  logs: 'logs',
  schedules: 'schedules',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface EnqueueOptions {
  /** Deterministic id: a second enqueue with the same id is a no-op (cluster-safe crons). */
  jobId?: string;
  delayMs?: number;
  attempts?: number;
  /** Exponential backoff base in ms between attempts. */
  backoffMs?: number;
}

export type JobHandler = (payload: Record<string, unknown>, meta: { attempt: number; jobId: string }) => Promise<void>;

/**
 * The job abstraction: Bull on Redis when REDIS_URL is set, in-process otherwise.
 * Payloads carry ids and scalars, never entities.
 */
export abstract class JobQueue {
  /**
   * Whether payloads stay in this process, handed to the handler as they were given
   * (the in-process queue), rather than serialised to JSON (Bull). Producers may then
   * pass Buffers and skip JSON-safe copies.
   */
  readonly local: boolean = false;

  abstract enqueue(queue: QueueName, name: string, payload: Record<string, unknown>, opts?: EnqueueOptions): Promise<void>;
  /** Registers the handler for a job name (only the worker's handlers run jobs). */
  abstract process(queue: QueueName, name: string, handler: JobHandler): void;
  /** Waits until every queued job (incl. retries due now) finished; tests and shutdown. */
  abstract drain(): Promise<void>;
  abstract close(): Promise<void>;
  /** Who takes the queue's jobs and how long the oldest ready job has waited (health checks). */
  abstract health(queue: QueueName): Promise<QueueHealth>;
}

export interface QueueHealth {
  /** Processes taking jobs from the queue (anywhere in the cluster, for Bull). */
  workers: number;
  /** Age of the oldest job that is ready to run but not started (0 when none). */
  latencyMs: number;
}

/** Jobs of the webhooks queue (spec 05 §4.8). */
export const WEBHOOK_JOBS = {
  createEvents: 'create-webhook-events',
  deliver: 'deliver-webhook',
  prune: 'prune-webhook-events',
} as const;

/** Jobs of the logs queue (spec 06; 07 §2.6): batched writes and the daily retention prunes. */
export const LOG_JOBS = {
  writeRequestLogs: 'write-request-logs',
  writeEventLogs: 'write-event-logs',
  pruneRequestLogs: 'prune-request-logs',
  pruneEventLogs: 'prune-event-logs',
} as const;

/** Jobs of the schedules queue for license events (spec 02 §11, 07 §2.3–2.4). */
export const LICENSE_JOBS = {
  expirations: 'license-expirations',
  overdueCheckIns: 'license-overdue-check-ins',
} as const;

/**
 * Heartbeat culling (spec 07 §2.1–2.2): the two-minute sweeps on the schedules queue
 * fan out one check per claimed machine or process on the default queue.
 */
export const MACHINE_JOBS = {
  cullDeadMachines: 'cull-dead-machines',
  machineHeartbeat: 'machine-heartbeat',
  cullDeadProcesses: 'cull-dead-processes',
  processHeartbeat: 'process-heartbeat',
} as const;

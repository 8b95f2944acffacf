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
  abstract enqueue(queue: QueueName, name: string, payload: Record<string, unknown>, opts?: EnqueueOptions): Promise<void>;
  /** Registers the handler for a job name (only the worker's handlers run jobs). */
  abstract process(queue: QueueName, name: string, handler: JobHandler): void;
  /** Waits until every queued job (incl. retries due now) finished; tests and shutdown. */
  abstract drain(): Promise<void>;
  abstract close(): Promise<void>;
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { httpDate, sha256Digest, signatureHeader, signingString } from '@libs/crypto';
import { AccountResolver } from '@app/common/auth/ports';
import { Clock } from '@app/common/clock/clock';
import { JobQueue, QUEUES, WEBHOOK_JOBS } from '@app/common/jobs/queues';
import { APP_CONFIG, type AppConfig } from '@app/config/app.config';
import { WebhookActivityCache } from './webhook-activity.cache';
import { decideAttempt, retryDelayMs, type RetrySchedule } from './webhook-delivery.rules';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import type { WebhookEvent } from './webhook-event.entity';
import { isSubscribed } from './webhook-event-types';
import { WebhookEventsRepository } from './webhook-events.repository';
import { deliveryBody, migratePayload } from './webhook-payload';
import { sendWebhook } from './webhook-transport';

/** Payload of a deliver-webhook job: ids and the 0-based attempt number. */
export interface DeliverJob {
  accountId: string;
  eventId: string;
  attempt: number;
}

/** One job id per (event, attempt): re-enqueueing the same attempt is a no-op. */
export function deliveryJobId(eventId: string, attempt: number): string {
  return `webhook-event:${eventId}:${attempt}`;
}

/** Retries of a job that failed unexpectedly (database down), not of deliveries. */
const JOB_ATTEMPTS = 5;
const JOB_BACKOFF_MS = 5_000;

/**
 * Signs and POSTs one attempt of a webhook event, records the outcome and schedules
 * the next attempt on Keygen's schedule (spec 05 §4). Each attempt is its own job,
 * so a worker that dies mid-delivery leaves a stalled job that Bull hands to another
 * worker. Logs carry ids only: URLs may hold secrets in their query.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger('Webhooks');
  private readonly schedule: RetrySchedule;

  constructor(
    private readonly events: WebhookEventsRepository,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly accounts: AccountResolver,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly activity: WebhookActivityCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.schedule = {
      maxRetries: config.webhooks.maxRetries,
      unitMs: config.webhooks.retryUnitMs,
      jitterUnits: config.webhooks.retryJitterUnits,
    };
  }

  /** Queues attempt `attempt` of the event (after `delayMs`); returns the job id. */
  async enqueue(
    event: Pick<WebhookEvent, 'id' | 'accountId'>,
    attempt: number,
    delayMs = 0,
  ): Promise<string> {
    const jobId = deliveryJobId(event.id, attempt);
    const job: DeliverJob = { accountId: event.accountId, eventId: event.id, attempt };
    await this.jobs.enqueue(
      QUEUES.webhooks,
      WEBHOOK_JOBS.deliver,
      { ...job },
      {
        jobId,
        delayMs,
        attempts: JOB_ATTEMPTS,
        backoffMs: JOB_BACKOFF_MS,
      },
    );
    return jobId;
  }

  async deliver(job: DeliverJob): Promise<void> {
    const account = await this.accounts.resolve(job.accountId);
    const event = account ? await this.events.findInAccount(job.accountId, job.eventId) : null;
    const endpoint = event?.webhookEndpointId
      ? await this.endpoints.findInAccount(job.accountId, event.webhookEndpointId)
      : null;
    // Gone, or no longer subscribed: stop quietly, status unchanged (spec 05 §4.4.1).
    if (!account || !event || !endpoint || !isSubscribed(endpoint.subscriptions, event.event)) {
      return;
    }
    if (!(await this.events.claimAttempt(event.id, job.attempt))) {
      return;
    }

    const target = endpoint.apiVersion || account.account.apiVersion;
    const body = deliveryBody(event, migratePayload(event.payload, event.apiVersion, target));
    const url = URL.canParse(endpoint.url) ? new URL(endpoint.url) : null;
    const date = httpDate(this.clock.now());
    const digest = sha256Digest(body);
    const signature = url
      ? await account.signer.signAsync(
          endpoint.signatureAlgorithm,
          signingString({
            method: 'post',
            target: `${url.pathname || '/'}${url.search}`,
            host: url.hostname,
            date,
            digest,
          }),
        )
      : '';
    const result = await sendWebhook({
      url: endpoint.url,
      headers: {
        'User-Agent': `Keygen/${target} (+https://keygen.sh/docs/api/webhooks/)`,
        'Content-Type': 'application/json',
        Date: date,
        Digest: digest,
        'Keygen-Date': date,
        'Keygen-Digest': digest,
        'Keygen-Signature': signatureHeader({
          keyid: account.account.id,
          algorithm: endpoint.signatureAlgorithm,
          signature,
        }),
        'Keygen-Version': target,
      },
      body,
      timeoutMs: this.config.webhooks.timeoutMs,
      allowPrivateTargets: this.config.webhooks.allowPrivateTargets,
    });

    const lastAttempt = job.attempt >= this.schedule.maxRetries;
    const decision = decideAttempt(result, event.endpoint, lastAttempt);
    const at = this.clock.now();
    if (decision.record) {
      await this.events.recordOutcome(
        event.id,
        {
          status: decision.status,
          lastResponseCode: decision.lastResponseCode,
          lastResponseBody: decision.lastResponseBody,
        },
        at,
      );
    } else if (decision.status === 'FAILED') {
      await this.events.markFailed(event.id, at);
    }
    if (decision.disableEndpoint) {
      await this.endpoints.disable(endpoint.accountId, endpoint.id);
      this.activity.invalidate(endpoint.accountId);
      this.logger.warn(
        `disabled webhook endpoint ${endpoint.id} (event ${event.id} answered ${String(decision.lastResponseCode)})`,
      );
    }
    const outcome =
      result.kind === 'response' ? String(result.status) : (result.failure ?? 'error');
    if (decision.retry) {
      const delay = retryDelayMs(job.attempt, this.schedule);
      await this.enqueue(event, job.attempt + 1, delay);
      this.logger.debug(
        `webhook event ${event.id} attempt ${job.attempt + 1} failed (${outcome}); retrying in ${delay} ms`,
      );
    } else {
      this.logger.debug(
        `webhook event ${event.id} attempt ${job.attempt + 1}: ${decision.status} (${outcome})`,
      );
    }
  }
}

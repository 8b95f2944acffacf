import type { Logger } from '@nestjs/common';
import type { AccountResolver, EnvironmentResolver } from '@app/common/auth/ports';
import type { Clock } from '@app/common/clock/clock';
import { systemContext, type RequestContext } from '@app/common/context/request-context';
import { QUEUES, type JobQueue } from '@app/common/jobs/queues';
import {
  alwaysRevives,
  deactivatesDead,
  revivesDead,
  type HeartbeatPolicy,
} from './machine-heartbeat';

/** How long a sweep's claim holds when its check never runs (then a later sweep retries). */
export const CLAIM_LEASE_MS = 10 * 60 * 1000;
/** The claim a row keeps once handled for good (KEEP_DEAD, ALWAYS_REVIVE): never re-swept. */
export const CLAIMED_FOREVER = new Date('9999-12-31T00:00:00.000Z');
/** Rows claimed per statement. */
const BATCH = 500;

/** A machine or process claimed by a cull sweep. */
export interface ClaimedRow {
  id: string;
  accountId: string;
  claim: Date;
}

/** The conditional writes of a sweep and its checks (the heartbeats repositories). */
export interface DeathClaims {
  /** Claims up to `limit` unclaimed DEAD rows until `until` (optionally of one account). */
  claimDead(now: Date, until: Date, limit: number, accountId: string | null): Promise<ClaimedRow[]>;
  /** Records the death; true only for the one caller that recorded it. */
  markDeathNotified(id: string, now: Date): Promise<boolean>;
  /** Moves the claim, if this job still holds it. */
  moveClaim(id: string, claim: Date, until: Date | null): Promise<void>;
  /** Deletes the row unless it was pinged since the check read it; true when deleted. */
  deleteIfUnchanged(id: string, lastHeartbeatAt: Date | null): Promise<boolean>;
}

/** A machine or process as its check reads it. */
export interface CulledView {
  id: string;
  accountId: string;
  environmentId: string | null;
  lastHeartbeatAt: Date | null;
  lastDeathEventSentAt: Date | null;
  policy: Pick<HeartbeatPolicy, 'heartbeatCullStrategy' | 'heartbeatResurrectionStrategy'>;
}

/** A DEAD row's revive window (read only when its policy revives). */
export interface ReviveWindow {
  passed(): boolean;
  /** When it closes. */
  deadline(): Date | null;
}

/** What a check did once the row's status was known. */
export type SettledOutcome = 'kept' | 'waiting' | 'culled' | 'alive';

/**
 * Death handling machines and processes share (spec 07 §2). `sweepDead` claims the
 * DEAD rows nobody holds and queues one check per row under that claim; a check
 * re-reads its row and `settle`s it: a row alive again gets its pong event and its
 * claim released; a dead one gets its dead event once per death (a conditional
 * marker), then is kept (ALWAYS_REVIVE, KEEP_DEAD), waits for its revive window (the
 * claim lapses when the window closes, so the first sweep after it comes back), or is
 * deleted (DEACTIVATE_DEAD: no `*.deleted` event).
 *
 * Cluster safety: claims are written under `FOR UPDATE SKIP LOCKED`, ticks have
 * deterministic job ids, and every transition is conditional, so overlapping sweeps
 * and duplicate checks change nothing twice.
 */
export abstract class HeartbeatCulling<V extends CulledView> {
  protected constructor(
    private readonly claims: DeathClaims,
    private readonly jobs: JobQueue,
    private readonly accounts: AccountResolver,
    private readonly environments: EnvironmentResolver,
    protected readonly clock: Clock,
    private readonly logger: Logger,
    /** What the warning about a vanished account names, e.g. `a heartbeat event`. */
    private readonly eventNoun: string,
  ) {}

  /** Publishes the pong or dead event of `view`. */
  protected abstract publish(event: 'pong' | 'dead', ctx: RequestContext, view: V): void;

  /**
   * Claims every unclaimed DEAD row at `now` (of one account when `accountId` is
   * given) and queues job `job` with `payload` for each; returns how many.
   */
  protected async sweepDead(
    now: Date,
    accountId: string | null,
    job: string,
    payload: (c: ClaimedRow, claim: string) => Record<string, unknown>,
  ): Promise<number> {
    const until = new Date(now.getTime() + CLAIM_LEASE_MS);
    let total = 0;
    for (;;) {
      const claimed = await this.claims.claimDead(now, until, BATCH, accountId);
      for (const c of claimed) {
        const claim = c.claim.toISOString();
        await this.jobs.enqueue(QUEUES.default, job, payload(c, claim), {
          jobId: `${job}:${c.id}:${claim}`,
          attempts: 5,
          backoffMs: 60_000,
        });
      }
      total += claimed.length;
      if (claimed.length < BATCH) {
        return total;
      }
    }
  }

  /** The rest of a check under `claim` once it knows whether the row is alive at `now`. */
  protected async settle(
    view: V,
    alive: boolean,
    claim: Date,
    now: Date,
    window: ReviveWindow,
  ): Promise<SettledOutcome> {
    const policy = view.policy;
    if (alive) {
      await this.emit('pong', view);
      await this.claims.moveClaim(view.id, claim, null);
      return 'alive';
    }
    if (view.lastDeathEventSentAt === null && (await this.claims.markDeathNotified(view.id, now))) {
      view.lastDeathEventSentAt = now;
      await this.emit('dead', view);
    }
    if (alwaysRevives(policy)) {
      await this.claims.moveClaim(view.id, claim, CLAIMED_FOREVER);
      return 'kept';
    }
    if (revivesDead(policy) && !window.passed()) {
      await this.claims.moveClaim(view.id, claim, window.deadline());
      return 'waiting';
    }
    if (deactivatesDead(policy)) {
      return (await this.claims.deleteIfUnchanged(view.id, view.lastHeartbeatAt))
        ? 'culled'
        : 'alive';
    }
    await this.claims.moveClaim(view.id, claim, CLAIMED_FOREVER);
    return 'kept';
  }

  /** Events of jobs run in a system context in the row's account and environment. */
  private async emit(event: 'pong' | 'dead', view: V): Promise<void> {
    const ctx = await this.context(view);
    if (ctx) {
      this.publish(event, ctx, view);
    }
  }

  private async context(view: V): Promise<RequestContext | null> {
    const account = await this.accounts.resolve(view.accountId);
    if (!account) {
      this.logger.warn(`account ${view.accountId} not found for ${this.eventNoun}`);
      return null;
    }
    const environment = view.environmentId
      ? await this.environments.resolve(view.accountId, view.environmentId)
      : null;
    return systemContext(account, this.clock, environment);
  }
}

/**
 * Heartbeat state computed at read time (spec 03 §1.8.1), as pure functions of the
 * machine's timestamps, its policy's heartbeat settings and a clock reading.
 */

/** Keygen's HEARTBEAT_TTL: the heartbeat duration when the policy leaves it null. */
export const DEFAULT_HEARTBEAT_DURATION = 600;

export type HeartbeatStatus = 'NOT_STARTED' | 'ALIVE' | 'DEAD' | 'RESURRECTED';

/** The policy settings heartbeats read. */
export interface HeartbeatPolicy {
  requireHeartbeat: boolean;
  heartbeatDuration: number | null;
  heartbeatCullStrategy: string | null;
  heartbeatResurrectionStrategy: string | null;
}

/** The machine timestamps heartbeats read. */
export interface HeartbeatSubject {
  lastHeartbeatAt: Date | null;
  createdAt: Date;
}

/** Resurrection windows in seconds; NO_REVIVE has none, ALWAYS_REVIVE is unlimited. */
const WINDOWS: Readonly<Record<string, number>> = {
  '1_MINUTE_REVIVE': 60,
  '2_MINUTE_REVIVE': 120,
  '5_MINUTE_REVIVE': 300,
  '10_MINUTE_REVIVE': 600,
  '15_MINUTE_REVIVE': 900,
};

/**
 * `heartbeatStatus(...) === 'DEAD'` as SQL, on machine alias `m` and policy alias `p`
 * at `now` (an SQL timestamptz). Timestamps compare at millisecond precision, as the
 * Dates read from them do, so SQL and the status agree to the millisecond.
 */
export function deadSql(m: string, p: string, now: string): string {
  const d = `make_interval(secs => coalesce(${p}.heartbeat_duration, ${DEFAULT_HEARTBEAT_DURATION}))`;
  return `(CASE WHEN ${m}.last_heartbeat_at IS NULL
      THEN ${p}.require_heartbeat AND date_trunc('milliseconds', ${m}.created_at) + ${d} < ${now}
      ELSE date_trunc('milliseconds', ${m}.last_heartbeat_at) + ${d} < ${now} END)`;
}

/** D: the policy's heartbeatDuration, else 600 s. Never null. */
export function heartbeatDuration(p: Pick<HeartbeatPolicy, 'heartbeatDuration'>): number {
  return p.heartbeatDuration ?? DEFAULT_HEARTBEAT_DURATION;
}

/** Monitored: the policy requires heartbeats, or the machine was pinged since its last reset. */
export function requiresHeartbeat(
  m: HeartbeatSubject,
  p: Pick<HeartbeatPolicy, 'requireHeartbeat'>,
): boolean {
  return p.requireHeartbeat || m.lastHeartbeatAt !== null;
}

/** lastHeartbeat + D, or null before the first ping. */
export function nextHeartbeat(m: HeartbeatSubject, p: HeartbeatPolicy): Date | null {
  return m.lastHeartbeatAt === null
    ? null
    : new Date(m.lastHeartbeatAt.getTime() + heartbeatDuration(p) * 1000);
}

/**
 * §1.8.1, first match wins (the RESURRECTED override lives in the ping response only).
 * Validation's heartbeat and machine scopes read the same rule.
 */
export function heartbeatStatus(
  m: HeartbeatSubject,
  p: Pick<HeartbeatPolicy, 'requireHeartbeat' | 'heartbeatDuration'>,
  now: Date,
): Exclude<HeartbeatStatus, 'RESURRECTED'> {
  const d = heartbeatDuration(p) * 1000;
  if (m.lastHeartbeatAt === null) {
    if (!requiresHeartbeat(m, p) || m.createdAt.getTime() >= now.getTime() - d) {
      return 'NOT_STARTED';
    }
    return 'DEAD';
  }
  return m.lastHeartbeatAt.getTime() + d >= now.getTime() ? 'ALIVE' : 'DEAD';
}

/** Whether the policy revives dead machines at all (any strategy but NO_REVIVE or null). */
export function revivesDead(p: Pick<HeartbeatPolicy, 'heartbeatResurrectionStrategy'>): boolean {
  const s = p.heartbeatResurrectionStrategy;
  return s === 'ALWAYS_REVIVE' || (s !== null && s in WINDOWS);
}

export function alwaysRevives(p: Pick<HeartbeatPolicy, 'heartbeatResurrectionStrategy'>): boolean {
  return p.heartbeatResurrectionStrategy === 'ALWAYS_REVIVE';
}

/** W in seconds (0 when the policy does not revive; ALWAYS_REVIVE is handled apart). */
export function resurrectionWindow(
  p: Pick<HeartbeatPolicy, 'heartbeatResurrectionStrategy'>,
): number {
  return WINDOWS[p.heartbeatResurrectionStrategy ?? ''] ?? 0;
}

/** DEACTIVATE_DEAD, or null (Keygen's default), deletes dead machines; KEEP_DEAD keeps them. */
export function deactivatesDead(p: Pick<HeartbeatPolicy, 'heartbeatCullStrategy'>): boolean {
  return p.heartbeatCullStrategy !== 'KEEP_DEAD';
}

/** "Resurrection period passed" (§1.8.1). */
export function resurrectionPeriodPassed(
  m: HeartbeatSubject,
  p: HeartbeatPolicy,
  now: Date,
): boolean {
  if (alwaysRevives(p)) {
    return false;
  }
  if (!requiresHeartbeat(m, p) || !revivesDead(p) || m.lastHeartbeatAt === null) {
    return true;
  }
  const next = nextHeartbeat(m, p) as Date;
  return now.getTime() > next.getTime() + resurrectionWindow(p) * 1000;
}

/**
 * When a dead machine's revive window closes (lastHeartbeat + D + W), for the cull
 * sweep to come back then; null when it never closes or is already closed.
 */
export function resurrectionDeadline(m: HeartbeatSubject, p: HeartbeatPolicy): Date | null {
  if (alwaysRevives(p) || !revivesDead(p) || m.lastHeartbeatAt === null) {
    return null;
  }
  const next = nextHeartbeat(m, p) as Date;
  return new Date(next.getTime() + resurrectionWindow(p) * 1000);
}

import {
  alwaysRevives,
  heartbeatDuration,
  resurrectionWindow,
  revivesDead,
  type HeartbeatPolicy,
} from '@app/modules/machines/machine-heartbeat';

/**
 * Process heartbeats computed at read time (spec 03 §3.4, 07 §2.2), as pure
 * functions. Unlike machines there is no NOT_STARTED state and no require-heartbeat
 * gate: a process is monitored from its spawn, on its machine's policy.
 */

/** The machine's policy settings a process's heartbeat reads. */
export type ProcessHeartbeatPolicy = Pick<
  HeartbeatPolicy,
  'heartbeatDuration' | 'heartbeatCullStrategy' | 'heartbeatResurrectionStrategy'
>;

export type ProcessStatus = 'ALIVE' | 'DEAD' | 'RESURRECTED';

export interface ProcessHeartbeatSubject {
  lastHeartbeatAt: Date;
}

/** `interval`: the policy's heartbeatDuration, else 600 s. */
export function processInterval(p: ProcessHeartbeatPolicy): number {
  return heartbeatDuration(p);
}

/** lastHeartbeat + interval. */
export function processNextHeartbeat(s: ProcessHeartbeatSubject, p: ProcessHeartbeatPolicy): Date {
  return new Date(s.lastHeartbeatAt.getTime() + processInterval(p) * 1000);
}

/** ALIVE while nextHeartbeat ≥ now, DEAD after (RESURRECTED lives in the ping response only). */
export function processStatus(
  s: ProcessHeartbeatSubject,
  p: ProcessHeartbeatPolicy,
  now: Date,
): Exclude<ProcessStatus, 'RESURRECTED'> {
  return processNextHeartbeat(s, p).getTime() >= now.getTime() ? 'ALIVE' : 'DEAD';
}

/**
 * Keygen's resurrection_period_passed?: never under ALWAYS_REVIVE, always without a
 * revive strategy (NO_REVIVE or null), else once now > nextHeartbeat + W.
 */
export function processResurrectionPeriodPassed(
  s: ProcessHeartbeatSubject,
  p: ProcessHeartbeatPolicy,
  now: Date,
): boolean {
  if (alwaysRevives(p)) {
    return false;
  }
  if (!revivesDead(p)) {
    return true;
  }
  return now.getTime() > processNextHeartbeat(s, p).getTime() + resurrectionWindow(p) * 1000;
}

/** When the revive window closes (nextHeartbeat + W); null when it never does or there is none. */
export function processResurrectionDeadline(
  s: ProcessHeartbeatSubject,
  p: ProcessHeartbeatPolicy,
): Date | null {
  if (alwaysRevives(p) || !revivesDead(p)) {
    return null;
  }
  return new Date(processNextHeartbeat(s, p).getTime() + resurrectionWindow(p) * 1000);
}

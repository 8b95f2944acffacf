import { type Decision, chain } from '@app/common/auth/policy';
import type { Role } from '@app/common/auth/roles';
import {
  machineChildPolicy,
  writesChild,
  type MachineChildFacts,
} from '@app/modules/machines/machine-child.policy';
import { environmentFits, permitted, type Caller } from '@app/modules/tokens/token.policy';

/**
 * Record-level rules for processes (Keygen's MachineProcessPolicy,
 * MachineProcesses::HeartbeatPolicy and the relationship policies; spec 03 §3.1) as
 * pure functions, each in Keygen's order: permission → environment → role. Services
 * call them after the scoped lookup, so an out-of-scope process is a 404 before any 403.
 *
 * index, show (`process.read`), create (spawn), update (support agents too), destroy
 * (kill) and readRelated (GET /processes/{id}/product|license|machine and a machine's
 * processes) are the rules components share (machine-child.policy.ts); ping is the
 * processes' own.
 */

/** What a rule needs to know about a process (or the one a spawn would build). */
export type ProcessFacts = MachineChildFacts;

const PINGERS: Role[] = ['admin', 'developer', 'environment'];

export const processPolicy = {
  ...machineChildPolicy('process'),

  /** Heartbeat ping: no sales or support agents; environment rule not strict. */
  ping: (c: Caller, f: ProcessFacts): Decision =>
    chain(
      () => permitted(c, 'process.heartbeat.ping'),
      () => environmentFits(c, f.environmentId, false),
      () => writesChild(c.bearer, f, PINGERS),
    ),
};

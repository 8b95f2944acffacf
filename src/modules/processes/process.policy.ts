import { type Decision, chain } from '@app/common/auth/policy';
import type { Role } from '@app/common/auth/roles';
import {
  CHILD_UPDATERS,
  CHILD_WRITERS,
  listsChildren,
  readsChild,
  writesChild,
  type MachineChildFacts,
} from '@app/modules/machines/machine-child.policy';
import { environmentFits, permitted, type Caller } from '@app/modules/tokens/token.policy';

/**
 * Record-level rules for processes (Keygen's MachineProcessPolicy,
 * MachineProcesses::HeartbeatPolicy and the relationship policies; spec 03 §3.1) as
 * pure functions, each in Keygen's order: permission → environment → role. Services
 * call them after the scoped lookup, so an out-of-scope process is a 404 before any 403.
 */

/** What a rule needs to know about a process (or the one a spawn would build). */
export type ProcessFacts = MachineChildFacts;

const PINGERS: Role[] = ['admin', 'developer', 'environment'];

export const processPolicy = {
  /** GET /processes: the rows are already scoped, so only the role can fail. */
  index: (c: Caller): Decision =>
    chain(
      () => permitted(c, 'process.read'),
      () => environmentFits(c, c.scope.environmentId, false),
      () => listsChildren(c.bearer),
    ),

  show: (c: Caller, f: ProcessFacts): Decision =>
    chain(
      () => permitted(c, 'process.read'),
      () => environmentFits(c, f.environmentId, false),
      () => readsChild(c.bearer, f),
    ),

  /** Spawn: a license may spawn on its own machines even when protected. */
  create: (c: Caller, f: ProcessFacts): Decision =>
    chain(
      () => permitted(c, 'process.create'),
      () => environmentFits(c, f.environmentId, true),
      () => writesChild(c.bearer, f, CHILD_WRITERS),
    ),

  update: (c: Caller, f: ProcessFacts): Decision =>
    chain(
      () => permitted(c, 'process.update'),
      () => environmentFits(c, f.environmentId, true),
      () => writesChild(c.bearer, f, CHILD_UPDATERS),
    ),

  /** Kill. */
  destroy: (c: Caller, f: ProcessFacts): Decision =>
    chain(
      () => permitted(c, 'process.delete'),
      () => environmentFits(c, f.environmentId, true),
      () => writesChild(c.bearer, f, CHILD_WRITERS),
    ),

  /** Heartbeat ping: no sales or support agents; environment rule not strict. */
  ping: (c: Caller, f: ProcessFacts): Decision =>
    chain(
      () => permitted(c, 'process.heartbeat.ping'),
      () => environmentFits(c, f.environmentId, false),
      () => writesChild(c.bearer, f, PINGERS),
    ),

  /**
   * GET /processes/{id}/product|license|machine and a machine's processes:
   * `permission` is the read permission of what is returned, `relatedEnvironmentId`
   * the environment of the record the rule is checked against.
   */
  readRelated: (
    c: Caller,
    f: ProcessFacts,
    permission: string,
    relatedEnvironmentId: string | null,
  ): Decision =>
    chain(
      () => permitted(c, permission),
      () => environmentFits(c, relatedEnvironmentId, false),
      () => readsChild(c.bearer, f),
    ),
};

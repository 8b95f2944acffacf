import { type Decision, chain } from '@app/common/auth/policy';
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
 * Record-level rules for components (Keygen's MachineComponentPolicy and the
 * MachineComponents::* relationship policies; spec 03 §2.1) as pure functions, each
 * in Keygen's order: permission → environment → role. Services call them after the
 * scoped lookup, so an out-of-scope component is a 404 before any 403.
 */

/** What a rule needs to know about a component (or the one a create would build). */
export type ComponentFacts = MachineChildFacts;

export const componentPolicy = {
  /** GET /components: the rows are already scoped, so only the role can fail. */
  index: (c: Caller): Decision =>
    chain(
      () => permitted(c, 'component.read'),
      () => environmentFits(c, c.scope.environmentId, false),
      () => listsChildren(c.bearer),
    ),

  show: (c: Caller, f: ComponentFacts): Decision =>
    chain(
      () => permitted(c, 'component.read'),
      () => environmentFits(c, f.environmentId, false),
      () => readsChild(c.bearer, f),
    ),

  /** A license may add components to its own machines even when protected. */
  create: (c: Caller, f: ComponentFacts): Decision =>
    chain(
      () => permitted(c, 'component.create'),
      () => environmentFits(c, f.environmentId, true),
      () => writesChild(c.bearer, f, CHILD_WRITERS),
    ),

  update: (c: Caller, f: ComponentFacts): Decision =>
    chain(
      () => permitted(c, 'component.update'),
      () => environmentFits(c, f.environmentId, true),
      () => writesChild(c.bearer, f, CHILD_UPDATERS),
    ),

  destroy: (c: Caller, f: ComponentFacts): Decision =>
    chain(
      () => permitted(c, 'component.delete'),
      () => environmentFits(c, f.environmentId, true),
      () => writesChild(c.bearer, f, CHILD_WRITERS),
    ),

  /**
   * GET /components/{id}/product|license|machine: `permission` is the related
   * resource's read permission, `relatedEnvironmentId` that record's environment.
   */
  readRelated: (
    c: Caller,
    f: ComponentFacts,
    permission: string,
    relatedEnvironmentId: string | null,
  ): Decision =>
    chain(
      () => permitted(c, permission),
      () => environmentFits(c, relatedEnvironmentId, false),
      () => readsChild(c.bearer, f),
    ),
};

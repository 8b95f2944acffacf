import {
  machineChildPolicy,
  type MachineChildFacts,
} from '@app/modules/machines/machine-child.policy';

/**
 * Record-level rules for components (Keygen's MachineComponentPolicy and the
 * MachineComponents::* relationship policies; spec 03 §2.1) as pure functions, each
 * in Keygen's order: permission → environment → role. Services call them after the
 * scoped lookup, so an out-of-scope component is a 404 before any 403.
 *
 * index, show (`component.read`), create, update (support agents too), destroy
 * (`component.create|update|delete`) and readRelated (GET
 * /components/{id}/product|license|machine: the related resource's read permission
 * and environment) are the rules processes share (machine-child.policy.ts).
 */

/** What a rule needs to know about a component (or the one a create would build). */
export type ComponentFacts = MachineChildFacts;

export const componentPolicy = machineChildPolicy('component');

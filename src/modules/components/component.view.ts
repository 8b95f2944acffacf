import type { ComponentView } from '@app/modules/machines/machine-component.serializer';
import type { MachineChildTarget } from '@app/modules/machines/machine-children.repository';

/**
 * A component as this module hands it around: what the serializer renders (the row
 * with its machine's license and product) plus what the record rules read (the
 * machine's owner, the license's owner and protection).
 */
export interface ComponentRecord extends ComponentView {
  machineOwnerId: string | null;
  licenseOwnerId: string | null;
  /** The license's `protected`, else its policy's. */
  licenseProtected: boolean;
}

/**
 * The machine a new component names, as create reads it (any environment of the
 * account): its ids for the rules, and its policy's uniqueness strategy.
 */
export interface TargetMachine extends MachineChildTarget {
  policyId: string;
  componentUniquenessStrategy: string | null;
}

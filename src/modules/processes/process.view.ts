import type { MachineChildTarget } from '@app/modules/machines/machine-children.repository';
import type { MachineProcess } from '@app/modules/machines/machine.entity';
import type { ProcessHeartbeatPolicy } from './process-heartbeat';

/**
 * A process as services hand it around and the serializer renders it: the row plus
 * its machine's license and product, its machine's policy heartbeat settings (status
 * and interval are computed from them at read time) and what the record rules read.
 */
export interface ProcessView extends MachineProcess {
  licenseId: string;
  productId: string;
  machineOwnerId: string | null;
  licenseOwnerId: string | null;
  /** The license's `protected`, else its policy's. */
  licenseProtected: boolean;
  policy: ProcessHeartbeatPolicy;
  /** Only in the response to the ping that revived the process (never stored). */
  resurrected?: boolean;
}

/** The machine a spawn names, anywhere in the account, with what the rules and limits read. */
export interface SpawnTarget extends MachineChildTarget {
  /** The machine-level override (not writable through the API). */
  maxProcesses: number | null;
}

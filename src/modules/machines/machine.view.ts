import type { Machine } from './machine.entity';
import type { HeartbeatPolicy } from './machine-heartbeat';

/** The policy settings a machine's rendering, heartbeats and activation read. */
export interface MachinePolicySettings extends HeartbeatPolicy {
  heartbeatBasis: string | null;
}

/**
 * A machine as services hand it around and the serializer renders it: the row plus
 * what its computed attributes read (its policy's heartbeat settings, the license's
 * effective maxProcesses) and what its rules read (license owner and protection).
 */
export interface MachineView extends Machine {
  policy: MachinePolicySettings;
  /** The license's effective maxProcesses (override, else the policy's). */
  licenseMaxProcesses: number | null;
  licenseOwnerId: string | null;
  licenseEnvironmentId: string | null;
  /** The license's `protected`, else its policy's. */
  licenseProtected: boolean;
  /** Only in the response to the ping that revived the machine (never stored). */
  resurrected?: boolean;
}

/** maxProcesses as rendered: the machine-level override, else the license's. */
export function machineMaxProcesses(m: MachineView): number | null {
  return m.maxProcesses ?? m.licenseMaxProcesses;
}

import {
  checkoutFileSerializer,
  type CheckoutFile,
} from '@app/modules/licenses/files/checkout-file';

/** A checked-out machine file (spec 03 §1.9.5); built per request, never stored. */
export interface MachineFile extends CheckoutFile {
  machineId: string;
}

const machinePath = (f: MachineFile): string =>
  `/v1/accounts/${f.accountId}/machines/${f.machineId}`;

/** `machine-files`: the shared file attributes and relationships, then the machine. */
export const MachineFileSerializer = checkoutFileSerializer<MachineFile>({
  type: 'machine-files',
  self: machinePath,
  relationships: {
    machine: {
      linkage: (f) => ({ type: 'machines', id: f.machineId }),
      related: machinePath,
    },
  },
});

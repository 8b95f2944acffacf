import { defineSerializer, timestamp } from '@libs/jsonapi';

/** A checked-out machine file (spec 03 §1.9.5); built per request, never stored. */
export interface MachineFile {
  /** Random per check-out. */
  id: string;
  accountId: string;
  environmentId: string | null;
  licenseId: string;
  machineId: string;
  certificate: string;
  algorithm: string;
  includes: string[];
  ttl: number | null;
  expiry: Date | null;
  issued: Date;
}

const base = (f: MachineFile): string => `/v1/accounts/${f.accountId}`;

/** `machine-files`: no links of its own, like Keygen's. */
export const MachineFileSerializer = defineSerializer<MachineFile>({
  type: 'machine-files',
  self: (f) => `${base(f)}/machines/${f.machineId}`,
  links: () => ({}),
  attributes: (f) => ({
    certificate: f.certificate,
    algorithm: f.algorithm,
    includes: f.includes,
    ttl: f.ttl,
    expiry: f.expiry ? timestamp(f.expiry) : null,
    issued: timestamp(f.issued),
  }),
  relationships: {
    account: {
      linkage: (f) => ({ type: 'accounts', id: f.accountId }),
      related: base,
    },
    environment: {
      linkage: (f) => (f.environmentId ? { type: 'environments', id: f.environmentId } : null),
      related: (f) => (f.environmentId ? `${base(f)}/environments/${f.environmentId}` : null),
    },
    license: {
      linkage: (f) => ({ type: 'licenses', id: f.licenseId }),
      related: (f) => `${base(f)}/licenses/${f.licenseId}`,
    },
    machine: {
      linkage: (f) => ({ type: 'machines', id: f.machineId }),
      related: (f) => `${base(f)}/machines/${f.machineId}`,
    },
  },
});

import { jsonApiEnvelope, p } from '@libs/jsonapi';
import {
  childRelationships,
  updatesChildMetadata,
  type ChildRelationshipsBody,
} from '@app/modules/machines/dto/machine-child.params';

const PROCESS_TYPES = ['process', 'processes'];

/** POST /processes (§3.2): an optional pre-set UUID. */
export const SpawnProcessParams = jsonApiEnvelope({
  type: PROCESS_TYPES,
  id: p.uuid({ optional: true }),
  attributes: p.object(
    {
      pid: p.string(),
      metadata: p.hash({ optional: true, allowBlank: true }),
    },
    { optional: false },
  ),
  relationships: childRelationships,
});

export interface SpawnProcessBody {
  data: {
    type: string;
    id?: string;
    attributes: { pid: string; metadata?: Record<string, unknown> };
    relationships: ChildRelationshipsBody;
  };
}

/** PATCH /processes/{id}: only metadata, by staff, products and environments; `data.id` ignored. */
export const UpdateProcessParams = jsonApiEnvelope({
  type: PROCESS_TYPES,
  id: p.string({ optional: true }),
  attributes: p.object(
    { metadata: p.hash({ optional: true, allowBlank: true, if: updatesChildMetadata }) },
    { optional: false },
  ),
});

export interface UpdateProcessBody {
  data: { type: string; attributes: { metadata?: Record<string, unknown> } };
}

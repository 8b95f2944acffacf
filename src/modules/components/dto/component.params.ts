import { jsonApiEnvelope, p } from '@libs/jsonapi';
import {
  childRelationships,
  updatesChildMetadata,
  type ChildRelationshipsBody,
} from '@app/modules/machines/dto/machine-child.params';

const COMPONENT_TYPES = ['component', 'components'];

/** POST /components (§2.2): no `data.id`. */
export const CreateComponentParams = jsonApiEnvelope({
  type: COMPONENT_TYPES,
  attributes: p.object(
    {
      fingerprint: p.string(),
      name: p.string(),
      metadata: p.hash({ optional: true, allowBlank: true }),
    },
    { optional: false },
  ),
  relationships: childRelationships,
});

export interface CreateComponentBody {
  data: {
    type: string;
    attributes: { fingerprint: string; name: string; metadata?: Record<string, unknown> };
    relationships: ChildRelationshipsBody;
  };
}

/** PATCH /components/{id}: `data.id` is accepted and ignored; the fingerprint never changes. */
export const UpdateComponentParams = jsonApiEnvelope({
  type: COMPONENT_TYPES,
  id: p.string({ optional: true }),
  attributes: p.object(
    {
      name: p.string({ optional: true }),
      metadata: p.hash({ optional: true, allowBlank: true, if: updatesChildMetadata }),
    },
    { optional: false },
  ),
});

export interface UpdateComponentBody {
  data: {
    type: string;
    attributes: { name?: string; metadata?: Record<string, unknown> };
  };
}

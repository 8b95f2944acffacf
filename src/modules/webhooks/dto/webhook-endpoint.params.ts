import { jsonApiEnvelope, linkage, p } from '@libs/jsonapi';
import { API_VERSIONS } from '@app/common/versioning/versions';

/** compat: Keygen accepts every spelling of the type, singular and plural. */
const ENDPOINT_TYPES = [
  'webhookEndpoint',
  'webhookEndpoints',
  'webhook-endpoint',
  'webhook-endpoints',
  'webhook_endpoint',
  'webhook_endpoints',
];

const attributes = (urlOptional: boolean) =>
  p.object(
    {
      url: p.string({ optional: urlOptional }),
      // `[]` reaches model validation (422 SUBSCRIPTIONS_TOO_SHORT), not a 400.
      subscriptions: p.array(p.string(), { optional: true, allowBlank: true }),
      api_version: p.string({ optional: true, inclusion: API_VERSIONS }),
      signature_algorithm: p.string({ optional: true }),
    },
    { optional: urlOptional },
  );

const product = linkage(['product', 'products'], { optional: true, nullable: true });

/** POST /webhook-endpoints (spec 05 §1.2). */
export const CreateWebhookEndpointParams = jsonApiEnvelope({
  type: ENDPOINT_TYPES,
  attributes: attributes(false),
  relationships: p.object({
    environment: linkage(['environment', 'environments'], { optional: true, nullable: true }),
    product,
  }),
});

/** PATCH/PUT /webhook-endpoints/{id}: `data.id` is ignored; the environment is immutable. */
export const UpdateWebhookEndpointParams = jsonApiEnvelope({
  type: ENDPOINT_TYPES,
  id: p.string({ optional: true }),
  attributes: attributes(true),
  relationships: p.object({ product }),
});

type Linkage<T extends string> = { data: { type: T; id: string } | null };

export interface WebhookEndpointAttributes {
  url?: string;
  subscriptions?: string[];
  api_version?: string;
  signature_algorithm?: string;
}

export interface CreateWebhookEndpointBody {
  data: {
    type: string;
    attributes: WebhookEndpointAttributes & { url: string };
    relationships?: { environment?: Linkage<string>; product?: Linkage<string> };
  };
}

export interface UpdateWebhookEndpointBody {
  data: {
    type: string;
    id?: string;
    attributes?: WebhookEndpointAttributes;
    relationships?: { product?: Linkage<string> };
  };
}

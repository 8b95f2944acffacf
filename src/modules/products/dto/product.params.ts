import { jsonApiEnvelope, linkage, p, type ParamsContext } from '@libs/jsonapi';

const roleIn =
  (...roles: string[]) =>
  (c: ParamsContext): boolean =>
    typeof c.role === 'string' && roles.includes(c.role);

/** `permissions` is writable by admin, developer and environment bearers only (EE in Keygen). */
const setsPermissions = roleIn('admin', 'developer', 'environment');

const PRODUCT_TYPES = ['product', 'products'];

/** POST /products (spec 02 §1.2). */
export const CreateProductParams = jsonApiEnvelope({
  type: PRODUCT_TYPES,
  attributes: p.object(
    {
      name: p.string(),
      code: p.string({ optional: true }),
      distribution_strategy: p.string({ optional: true }),
      url: p.string({ optional: true }),
      metadata: p.hash({ optional: true, allowBlank: true, depth: 2 }),
      platforms: p.array(p.string(), { optional: true, nullable: true }),
      permissions: p.array(p.string(), { optional: true, if: setsPermissions }),
    },
    { optional: false },
  ),
  relationships: p.object({
    environment: linkage(['environment', 'environments'], { optional: true, nullable: true }),
  }),
});

export interface CreateProductBody {
  data: {
    type: string;
    attributes: {
      name: string;
      code?: string;
      distribution_strategy?: string;
      url?: string;
      metadata?: Record<string, unknown>;
      platforms?: string[] | null;
      permissions?: string[];
    };
    relationships?: {
      environment?: { data: { type: string; id: string } | null };
    };
  };
}

/** PATCH /products/{id}: `data.id` is accepted and ignored; `attributes` is required. */
export const UpdateProductParams = jsonApiEnvelope({
  type: PRODUCT_TYPES,
  id: p.string({ optional: true }),
  attributes: p.object(
    {
      name: p.string({ optional: true }),
      code: p.string({ optional: true }),
      distribution_strategy: p.string({ optional: true, nullable: true }),
      url: p.string({ optional: true, nullable: true }),
      metadata: p.hash({ optional: true, allowBlank: true, depth: 2 }),
      platforms: p.array(p.string(), { optional: true, nullable: true }),
      permissions: p.array(p.string(), { optional: true, if: setsPermissions }),
    },
    { optional: false },
  ),
});

export interface UpdateProductBody {
  data: {
    type: string;
    id?: string;
    attributes: {
      name?: string;
      code?: string;
      distribution_strategy?: string | null;
      url?: string | null;
      metadata?: Record<string, unknown>;
      platforms?: string[] | null;
      permissions?: string[];
    };
  };
}

/** POST /products/{id}/tokens (spec 01 §6.1): the body is optional. */
export const GenerateProductTokenParams = jsonApiEnvelope({
  type: ['token', 'tokens'],
  dataOptional: true,
  attributes: p.object({
    expiry: p.time({ optional: true, nullable: true }),
    name: p.string({ optional: true, nullable: true }),
    permissions: p.array(p.string(), {
      optional: true,
      if: roleIn('admin', 'developer', 'product', 'environment'),
    }),
  }),
  relationships: p.object({
    environment: linkage(['environment', 'environments'], { optional: true, nullable: true }),
  }),
});

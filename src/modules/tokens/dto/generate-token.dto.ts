import { jsonApiEnvelope, linkage, p, type Node, type ObjectNode } from '@libs/jsonapi';
import type { BearerType } from '../token.entity';

const TOKEN_TYPES = ['token', 'tokens'];
const ENVIRONMENT_TYPES = ['environment', 'environments'];
const BEARER_TYPES = [
  'environment',
  'environments',
  'product',
  'products',
  'user',
  'users',
  'license',
  'licenses',
];

/** What every generate action takes (spec 01 §6.3); snake_case as validated. */
export interface TokenAttributesInput {
  /** Absent → default expiry; null → never expires. */
  expiry?: Date | null;
  name?: string | null;
  permissions?: string[];
}

export interface TokenRelationshipsInput {
  bearer?: { data: { type: string; id: string } };
  /** Absent → default environment; `data: null` → the global environment. */
  environment?: { data: { type: string; id: string } | null };
}

export interface GenerateTokenBody {
  data?: {
    type: string;
    attributes?: TokenAttributesInput;
    relationships?: TokenRelationshipsInput;
  };
  meta?: { otp?: string };
}

/** The subset the token issuer needs, whatever the route. */
export interface TokenDraftInput extends TokenAttributesInput {
  environment?: { id: string } | null;
  /** License ("activation") tokens only (`POST /licenses/{id}/tokens`). */
  maxActivations?: number;
  maxDeactivations?: number;
}

const roleIs =
  (...roles: string[]) =>
  (c: Record<string, unknown>): boolean =>
    typeof c.role === 'string' && roles.includes(c.role);

function attributes(permissionsIf?: (c: Record<string, unknown>) => boolean): ObjectNode {
  const permissions: Node = p.array(p.string(), {
    optional: true,
    ...(permissionsIf ? { if: permissionsIf } : {}),
  });
  return p.object({
    expiry: p.time({ optional: true, nullable: true }),
    name: p.string({ optional: true, nullable: true }),
    permissions,
  });
}

const environmentLinkage = linkage(ENVIRONMENT_TYPES, { optional: true, nullable: true });

/** `POST /tokens`. */
export const GenerateTokenParams = jsonApiEnvelope({
  type: TOKEN_TYPES,
  dataOptional: true,
  attributes: attributes(),
  relationships: p.object({
    bearer: linkage(BEARER_TYPES, { optional: true }),
    environment: environmentLinkage,
  }),
  meta: p.object({ otp: p.string() }),
});

/** `POST /users/{id}/tokens`: permissions only from admin, developer, product, environment. */
export const GenerateUserTokenParams = jsonApiEnvelope({
  type: TOKEN_TYPES,
  dataOptional: true,
  attributes: attributes(roleIs('admin', 'developer', 'product', 'environment')),
  relationships: p.object({ environment: environmentLinkage }),
});

/** `POST /environments/{id}/tokens`: permissions only from admin, developer, environment. */
export const GenerateEnvironmentTokenParams = jsonApiEnvelope({
  type: TOKEN_TYPES,
  dataOptional: true,
  attributes: attributes(roleIs('admin', 'developer', 'environment')),
  relationships: p.object({ environment: environmentLinkage }),
});

/** Plural bearer type of a `relationships.bearer.data.type` value. */
export function pluralBearerType(type: string): BearerType {
  return (type.endsWith('s') ? type : `${type}s`) as BearerType;
}

/** Flattens a validated body into the issuer's input. */
export function draftInput(body: GenerateTokenBody): TokenDraftInput {
  const { max_activations, max_deactivations, ...attrs } = (body.data?.attributes ??
    {}) as TokenAttributesInput & { max_activations?: number; max_deactivations?: number };
  const env = body.data?.relationships?.environment;
  const input: TokenDraftInput = { ...attrs };
  if (max_activations !== undefined) {
    input.maxActivations = max_activations;
  }
  if (max_deactivations !== undefined) {
    input.maxDeactivations = max_deactivations;
  }
  if (env !== undefined) {
    input.environment = env.data === null ? null : { id: env.data.id };
  }
  return input;
}

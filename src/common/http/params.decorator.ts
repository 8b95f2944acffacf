import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { parsePagination, validateParams, type ObjectNode, type Pagination } from '@libs/jsonapi';
import { BadRequestError, ParamError } from '../errors/api-error';
import type { KeywardRequest } from './http-state';

const NULL_BYTE =
  'The request could not be completed because it contains an unexpected null byte (check encoding)';

/** Role and bearer facts role-conditional params (`if:`) can test. */
export interface ParamsContext extends Record<string, unknown> {
  role: string | null;
  bearerType: string | null;
  /** The request's resolved API version (version-gated params, spec 00 §7.3). */
  apiVersion: string;
}

function paramsContext(req: KeywardRequest): ParamsContext {
  const bearer = req.keyward.ctx?.bearer ?? null;
  return {
    role: bearer?.role ?? null,
    bearerType: bearer?.type ?? null,
    apiVersion: req.keyward.apiVersion,
  };
}

/**
 * Validates the (already snake_cased) JSON body against a typed-params schema and
 * returns the validated value. Failures are Keygen's 400s with a pointer.
 */
export const Params = createParamDecorator((schema: ObjectNode, ectx: ExecutionContext) => {
  const req = ectx.switchToHttp().getRequest<KeywardRequest>();
  if (req.keyward.nullByte) {
    throw new BadRequestError(NULL_BYTE, { code: 'ENCODING_INVALID' });
  }
  const result = validateParams(schema, req.body ?? {}, paramsContext(req));
  if (!result.ok) {
    throw new ParamError(result.error.detail, result.error.source);
  }
  return result.value;
});

/** Validates the body when called; throws the same 400s as @Params. */
export type ParamsThunk<T> = () => T;

/**
 * Like @Params(schema), but validation runs when the service calls the thunk, so routes
 * on an existing record can look it up and authorize first (404/403 before 400), as
 * Keygen validates update bodies lazily.
 */
export const DeferredParams = createParamDecorator(
  (schema: ObjectNode, ectx: ExecutionContext): ParamsThunk<Record<string, unknown>> => {
    const req = ectx.switchToHttp().getRequest<KeywardRequest>();
    const nullByte = req.keyward.nullByte === true;
    const body: unknown = req.body ?? {};
    const context = paramsContext(req);
    return () => {
      if (nullByte) {
        throw new BadRequestError(NULL_BYTE, { code: 'ENCODING_INVALID' });
      }
      const result = validateParams(schema, body, context);
      if (!result.ok) {
        throw new ParamError(result.error.detail, result.error.source);
      }
      return result.value;
    };
  },
);

/** Validates declared query parameters; errors carry `source.parameter`. */
export const QueryParams = createParamDecorator((schema: ObjectNode, ectx: ExecutionContext) => {
  const req = ectx.switchToHttp().getRequest<KeywardRequest>();
  const result = validateParams(schema, req.query ?? {}, paramsContext(req), { source: 'parameter' });
  if (!result.ok) {
    throw new ParamError(result.error.detail, result.error.source);
  }
  return result.value;
});

/** Parses limit / page[...] / order (spec 00 §5.1). */
export const Paginate = createParamDecorator((_: unknown, ectx: ExecutionContext): Pagination => {
  const req = ectx.switchToHttp().getRequest<KeywardRequest>();
  const result = parsePagination((req.query ?? {}) as Record<string, unknown>);
  if (!result.ok) {
    throw new ParamError(result.error.detail, result.error.source);
  }
  return result.value;
});

/** The raw query object (filters). */
export const Query = createParamDecorator(
  (_: unknown, ectx: ExecutionContext): Record<string, unknown> =>
    (ectx.switchToHttp().getRequest<KeywardRequest>().query ?? {}) as Record<string, unknown>,
);

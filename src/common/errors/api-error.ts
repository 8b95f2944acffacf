/**
 * Domain errors. They know their HTTP status and wire fields but import nothing
 * from HTTP; the global exception filter is the only place that renders them.
 */
export interface ErrorSourceRef {
  pointer?: string;
  parameter?: string;
  header?: string;
}

export interface ApiErrorItem {
  title?: string;
  detail?: string;
  code?: string;
  source?: ErrorSourceRef;
  links?: { about?: string };
}

export class ApiError extends Error {
  /** Middleware-level errors render without meta/Keygen headers/signature (spec 00 §4.3). */
  middleware = false;
  readonly headers: Record<string, string> = {};

  constructor(
    readonly status: number,
    readonly items: ApiErrorItem[],
  ) {
    super(items[0]?.detail ?? `HTTP ${status}`);
  }

  withHeader(name: string, value: string): this {
    this.headers[name] = value;
    return this;
  }
}

export const DEFAULT_403 = 'You do not have permission to complete the request';
export const DEFAULT_401 = 'You must be authenticated to complete the request';

export class BadRequestError extends ApiError {
  constructor(detail = 'The request could not be completed', extra: Omit<ApiErrorItem, 'detail' | 'title'> = {}) {
    super(400, [{ title: 'Bad request', detail, ...extra }]);
  }
}

/** Typed-params failure: 400, no code, pointer or parameter source. */
export class ParamError extends BadRequestError {
  constructor(detail: string, source: ErrorSourceRef) {
    super(detail, { source });
  }
}

export class UnauthorizedError extends ApiError {
  constructor(code: string, detail = DEFAULT_401, extra: Omit<ApiErrorItem, 'detail' | 'title' | 'code'> = {}) {
    super(401, [{ title: 'Unauthorized', detail, code, ...extra }]);
  }
}

export class ForbiddenError extends ApiError {
  /** `reason` is appended as " (<reason>)" to the default detail (spec 00 §4.2). */
  static because(reason: string): ForbiddenError {
    return new ForbiddenError(`${DEFAULT_403} (${reason})`);
  }

  constructor(detail = DEFAULT_403, code?: string) {
    super(403, [{ title: 'Access denied', detail, code }]);
  }
}

export class NotFoundError extends ApiError {
  /** `The requested <model> '<id>' was not found` (spec 00 §4.7). */
  static record(model: string, id: string): NotFoundError {
    return new NotFoundError(`The requested ${model} '${id}' was not found`);
  }

  constructor(detail = 'The requested resource was not found') {
    super(404, [{ title: 'Not found', detail, code: 'NOT_FOUND' }]);
  }
}

export class ConflictError extends ApiError {
  constructor(detail = 'The request could not be completed because of a conflict') {
    super(409, [{ title: 'Conflict', detail }]);
  }
}

/** Model validation (422): one or more errors, each with code and pointer. */
export class UnprocessableError extends ApiError {
  constructor(items: ApiErrorItem | ApiErrorItem[], title = 'Unprocessable resource') {
    super(422, (Array.isArray(items) ? items : [items]).map((i) => ({ title, ...i })));
  }

  /** e.g. attribute('email', 'EMAIL_TAKEN', 'has already been taken'). */
  static attribute(attr: string, code: string, detail: string): UnprocessableError {
    return new UnprocessableError({ detail, code, source: { pointer: `/data/attributes/${attr}` } });
  }

  static relationship(rel: string, code: string, detail: string): UnprocessableError {
    return new UnprocessableError({ detail, code, source: { pointer: `/data/relationships/${rel}` } });
  }
}

export class TooManyRequestsError extends ApiError {
  constructor() {
    super(429, [
      {
        title: 'Too many requests',
        detail:
          'Throttle limit has been reached for your IP address. Please slow down. See https://keygen.sh/docs/api/rate-limiting/ for more info.',
        code: 'TOO_MANY_REQUESTS',
      },
    ]);
    this.middleware = true;
  }
}

/** Pre-routing errors (JSON_INVALID, MIME_TYPE_INVALID, ...): no meta, headers or signature. */
export function middlewareError(status: number, title: string, detail: string, code?: string): ApiError {
  const e = new ApiError(status, [{ title, detail, code }]);
  e.middleware = true;
  return e;
}

/** ENCODING_INVALID details (spec 00 §2.4.5–6). */
export const NULL_BYTE_DETAIL =
  'The request could not be completed because it contains an unexpected null byte (check encoding)';
export const BAD_BYTES_DETAIL =
  'The request could not be completed because it contains an invalid byte sequence (check encoding)';

export const INTERNAL_ERROR_DETAIL =
  'Looks like something went wrong! Our engineers have been notified. If you continue to have problems, please contact support@keygen.sh.';

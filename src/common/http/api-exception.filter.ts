import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { errorDocument, errorObject, type ErrorObject } from '@libs/jsonapi';
import {
  ApiError,
  BAD_BYTES_DETAIL,
  INTERNAL_ERROR_DETAIL,
  NULL_BYTE_DETAIL,
} from '../errors/api-error';
import type { KeywardRequest } from './http-state';
import { ResponseFinalizer } from './response-finalizer';

const ROUTE_NOT_FOUND =
  'The requested endpoint was not found (check your HTTP method, Accept header, and URL path)';

interface PgError {
  code?: string;
  message?: string;
}

/**
 * The only place that writes an error body. Ordered mapping: our ApiError
 * classes, then Nest's own HTTP exceptions (route not found, ...), then Postgres
 * codes, then 500. Every error goes through the same finalisation as successes.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly finalizer: ResponseFinalizer) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<KeywardRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) {
      this.logger.error(`error after headers were sent: ${String(exception)}`);
      return;
    }
    const error = this.toApiError(exception, req);
    if (!req.keyward || error.middleware) {
      const body = errorDocument(error.items.map((i) => errorObject(i as ErrorObject)));
      res.end(this.finalizer.middlewareBody(res, error.status, body, error.headers));
      return;
    }
    const body = errorDocument(
      error.items.map((i) => errorObject(i as ErrorObject)),
      req.keyward.requestId,
    );
    if (error.status === 401 && !('WWW-Authenticate' in error.headers)) {
      error.headers['WWW-Authenticate'] = `${req.keyward.authScheme} realm="keygen"`;
    }
    this.finalizer
      .finalize(req, res, error.status, body as unknown as Record<string, unknown>, {
        headers: error.headers,
      })
      .then(
        (bytes) => res.end(bytes),
        (e: unknown) => {
          this.logger.error(`could not finalise an error response: ${String(e)}`);
          res.status(500).end();
        },
      );
  }

  private toApiError(exception: unknown, req: KeywardRequest): ApiError {
    if (exception instanceof ApiError) {
      return exception;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) {
        return new ApiError(404, [
          { title: 'Not found', detail: ROUTE_NOT_FOUND, code: 'NOT_FOUND' },
        ]);
      }
      if (status === 413) {
        return new ApiError(413, [
          { title: 'Payload too large', detail: 'The request body is too large' },
        ]);
      }
      if (status < 500) {
        return new ApiError(status, [
          { title: 'Bad request', detail: 'The request could not be completed' },
        ]);
      }
    }
    const pg = exception as PgError;
    if (pg && typeof pg.code === 'string') {
      if (pg.code === '23505') {
        return new ApiError(409, [
          { title: 'Conflict', detail: 'The request could not be completed because of a conflict' },
        ]);
      }
      // Spec 00 §2.4.5–6: U+0000 (Postgres 22021 "0x00" in text, 22P05 in jsonb) or other
      // bad bytes reaching a lookup are ENCODING_INVALID, raised inside the app (meta.id).
      if (pg.code === '22P05' || (pg.code === '22021' && (pg.message ?? '').includes('0x00'))) {
        return new ApiError(400, [
          { title: 'Bad request', detail: NULL_BYTE_DETAIL, code: 'ENCODING_INVALID' },
        ]);
      }
      if (pg.code === '22021') {
        return new ApiError(400, [
          { title: 'Bad request', detail: BAD_BYTES_DETAIL, code: 'ENCODING_INVALID' },
        ]);
      }
      if (pg.code === '22P02') {
        return new ApiError(400, [
          { title: 'Bad request', detail: 'The request could not be completed' },
        ]);
      }
      if (pg.code === '22003') {
        return new ApiError(400, [{ title: 'Bad request', detail: 'integer is too large' }]);
      }
    }
    const err = exception as Error;
    this.logger.error(
      `unhandled error on ${req.method} ${req.path} (request ${req.keyward?.requestId}): ${err?.stack ?? String(exception)}`,
    );
    return new ApiError(500, [{ title: 'Internal server error', detail: INTERNAL_ERROR_DETAIL }]);
  }
}

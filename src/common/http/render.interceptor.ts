import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { mergeMap, type Observable } from 'rxjs';
import {
  paginationLinks,
  renderDocument,
  renderResource,
  type RenderContext,
  type Serializer,
} from '@libs/jsonapi';
import { FinalResponse } from './keyward-express.adapter';
import type { KeywardRequest } from './http-state';
import { RAW_KEY, RENDER_KEY, isListResult, isRawResult, isRendered } from './render';
import { ResponseFinalizer } from './response-finalizer';

/**
 * Renders what the handler returned with the serializer its @Render declared,
 * then finalises (migrate, headers, sign, log). It never guesses a shape.
 */
@Injectable()
export class RenderInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly finalizer: ResponseFinalizer,
  ) {}

  intercept(ectx: ExecutionContext, next: CallHandler): Observable<FinalResponse> {
    const handler = ectx.getHandler();
    const req = ectx.switchToHttp().getRequest<KeywardRequest>();
    const res = ectx.switchToHttp().getResponse<Response>();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const serializer = this.reflector.get<Serializer<any> | undefined>(RENDER_KEY, handler);
    const raw = this.reflector.get<boolean | undefined>(RAW_KEY, handler);
    const declared = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, handler);
    const defaultStatus = declared ?? (req.method === 'POST' ? 201 : 200);
    req.keyward.route = (req.route as { path?: string } | undefined)?.path;

    return next.handle().pipe(
      mergeMap(async (result: unknown) => {
        if (raw || isRawResult(result)) {
          if (!isRawResult(result)) {
            throw new Error('@Raw() handlers must return a RawResult');
          }
          const bytes = await this.finalizer.finalize(req, res, result.status, undefined, {
            raw: result.body,
            contentType: result.contentType,
            headers: result.headers,
          });
          return new FinalResponse(result.status, bytes);
        }
        if (defaultStatus === 204 && (result === undefined || result === null)) {
          return new FinalResponse(204, await this.finalizer.finalize(req, res, 204, undefined));
        }
        if (!serializer && !(isRendered(result) && result.serializer)) {
          throw new Error(`handler ${handler.name} returned JSON:API data without @Render`);
        }
        const rctx = this.renderContext(req);
        let status = defaultStatus;
        let body: Record<string, unknown>;
        if (isListResult(result)) {
          const links = paginationLinks({
            path: req.keyward.originalUrl.split('?')[0],
            query: req.query as Record<string, unknown>,
            pagination: result.pagination,
            count: result.count,
            returned: result.rows.length,
            lastId:
              (result.rows[result.rows.length - 1] as { id?: string } | undefined)?.id ?? null,
            hasMore: result.hasMore,
          });
          body = renderDocument(result.serializer ?? serializer!, result.rows, rctx, { links });
        } else if (isRendered(result)) {
          status = result.status ?? status;
          const included = [
            ...(result.included ?? []),
            ...(result.include ?? []).map(([s, r]) => renderResource(s, r, rctx)),
          ];
          body = renderDocument(result.serializer ?? serializer!, result.data, rctx, {
            included: included.length > 0 ? included : undefined,
            meta: result.meta,
          });
        } else {
          body = renderDocument(serializer!, (result ?? null) as never, rctx);
        }
        const self = (body.data as { links?: { self?: string } } | null)?.links?.self;
        const bytes = await this.finalizer.finalize(req, res, status, body, {
          locationPath: status === 201 && self ? self : undefined,
        });
        return new FinalResponse(status, bytes);
      }),
    );
  }

  private renderContext(req: KeywardRequest): RenderContext {
    const ctx = req.keyward.ctx;
    return {
      accountId: req.keyward.account?.account.id ?? '',
      apiVersion: req.keyward.apiVersion,
      now: ctx ? ctx.clock.now() : new Date(),
      bearer: ctx?.bearer ?? null,
    };
  }
}

import { SetMetadata } from '@nestjs/common';
import type { Pagination, Serializer } from '@libs/jsonapi';

export const RENDER_KEY = 'keyward:render';
export const RAW_KEY = 'keyward:raw';

/** Declares the serializer the interceptor renders the handler's result with. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function Render(serializer: Serializer<any>): MethodDecorator {
  return SetMetadata(RENDER_KEY, serializer);
}

/** Handler returns a RawResult (non-JSON:API wire formats). */
export function Raw(): MethodDecorator {
  return SetMetadata(RAW_KEY, true);
}

/** One page of a list endpoint. */
export interface ListResult<T> {
  kind: 'list';
  rows: T[];
  pagination: Pagination;
  /** Total count (offset mode, countable resources). */
  count?: number;
  /** Whether rows exist after the page (cursor mode). */
  hasMore?: boolean;
  /** Render the rows with this serializer instead of the route's (search lists many types). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  serializer?: Serializer<any>;
}

/** A result with document-level extras or a non-default status. */
export interface Rendered<T> {
  kind: 'rendered';
  data: T | T[] | null;
  meta?: Record<string, unknown>;
  included?: unknown[];
  status?: number;
  /** Render `data` with this serializer instead of the route's. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  serializer?: Serializer<any>;
  /** Serializers for `included` entries: [serializer, record] pairs. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  include?: Array<[Serializer<any>, unknown]>;
}

export interface RawResult {
  kind: 'raw';
  status: number;
  body: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export function rendered<T>(data: T | T[] | null, extras: Omit<Rendered<T>, 'kind' | 'data'> = {}): Rendered<T> {
  return { kind: 'rendered', data, ...extras };
}

export function isListResult(v: unknown): v is ListResult<unknown> {
  return !!v && typeof v === 'object' && (v as { kind?: unknown }).kind === 'list';
}

export function isRendered(v: unknown): v is Rendered<unknown> {
  return !!v && typeof v === 'object' && (v as { kind?: unknown }).kind === 'rendered';
}

export function isRawResult(v: unknown): v is RawResult {
  return !!v && typeof v === 'object' && (v as { kind?: unknown }).kind === 'raw';
}

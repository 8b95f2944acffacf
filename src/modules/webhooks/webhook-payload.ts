import { camelKey, renderResource, type RenderContext, type Serializer } from '@libs/jsonapi';
import { applyResponseMigrations } from '@app/common/versioning/response-migrations';
import {
  CURRENT_API_VERSION,
  RENDER_BREAKPOINTS,
  renderBreakpoint,
} from '@app/common/versioning/versions';
import type { WebhookEvent } from './webhook-event.entity';
import { WebhookEventSerializer } from './webhook-event.serializer';

/** What a domain event hands to the payload renderer. */
export interface PayloadSource {
  accountId: string;
  record: unknown;
  serializer: Serializer<never>;
  meta?: Record<string, unknown>;
  now: Date;
}

/** Attributes never sent to subscribers, per resource type (spec 05 §3.3 rule 4). */
const WEBHOOK_HIDDEN: Record<string, readonly string[]> = {
  tokens: ['token'],
  'second-factors': ['uri', 'secret'],
};

function hideSecrets(resource: { type?: string; attributes?: Record<string, unknown> }): void {
  const hidden = resource.type ? WEBHOOK_HIDDEN[resource.type] : undefined;
  for (const attr of hidden ?? []) {
    delete resource.attributes?.[attr];
  }
}

/**
 * The resource document (`{data}` plus `meta` when the event carries one) rendered once
 * at the current API version in webhook context, as the JSON string events store.
 * An array record (release constraints) renders as an array document.
 */
export function renderPayload(src: PayloadSource, apiVersion = CURRENT_API_VERSION): string {
  const ctx: RenderContext = {
    accountId: src.accountId,
    apiVersion,
    now: src.now,
    bearer: null,
    webhook: true,
  };
  const render = (r: never) => {
    const resource = renderResource(src.serializer, r, ctx);
    hideSecrets(resource);
    return resource;
  };
  const doc: Record<string, unknown> = {
    data: Array.isArray(src.record)
      ? (src.record as never[]).map(render)
      : render(src.record as never),
  };
  if (src.meta && Object.keys(src.meta).length > 0) {
    doc.meta = Object.fromEntries(Object.entries(src.meta).map(([k, v]) => [camelKey(k), v]));
  }
  return JSON.stringify(doc);
}

/**
 * The payload at the current version plus, for each render breakpoint where the
 * serializer renders differently, that rendering (still to be migrated from the
 * current version, as a response rendered for that version is).
 */
export function renderPayloads(src: PayloadSource): {
  payload: string;
  legacy?: Record<string, string>;
} {
  const payload = renderPayload(src);
  // Only a serializer with version-conditional relationships renders differently.
  const versioned = Object.values(src.serializer.relationships ?? {}).some((r) => r.when);
  if (!versioned) {
    return { payload };
  }
  let legacy: Record<string, string> | undefined;
  for (const version of RENDER_BREAKPOINTS) {
    const rendered = renderPayload(src, version);
    if (rendered !== payload) {
      (legacy ??= {})[version] = rendered;
    }
  }
  return legacy ? { payload, legacy } : { payload };
}

/** The stored payload for an endpoint on `apiVersion`, migrated to that version. */
export function payloadFor(
  rendered: { payload: string; legacy?: Record<string, string> },
  apiVersion: string,
): string {
  const breakpoint = renderBreakpoint(apiVersion);
  const source = (breakpoint !== null && rendered.legacy?.[breakpoint]) || rendered.payload;
  return migratePayload(source, CURRENT_API_VERSION, apiVersion);
}

/**
 * Migrates a stored payload from `from` down to `to` with the registered response
 * migrations, as if it were the resource's show (or, for arrays, index) response.
 */
export function migratePayload(payload: string, from: string, to: string): string {
  if (from === to) {
    return payload;
  }
  const doc = JSON.parse(payload) as Record<string, unknown>;
  const data = doc.data as { type?: string } | Array<{ type?: string }> | null;
  const type = Array.isArray(data) ? data[0]?.type : data?.type;
  if (!type) {
    return payload;
  }
  const route = Array.isArray(data)
    ? `/v1/accounts/:account/${type}`
    : `/v1/accounts/:account/${type}/:id`;
  applyResponseMigrations(to, { method: 'GET', route, status: 200, body: doc, headers: {} }, from);
  return JSON.stringify(doc);
}

/**
 * The exact bytes of one delivery (spec 05 §4.2): the webhook-event document at the
 * event's API version, as rendered when the event was created (status DELIVERING, no
 * response yet), with `payload` migrated to the target version.
 */
export function deliveryBody(event: WebhookEvent, payload: string): Buffer {
  const asCreated = Object.assign(
    Object.create(Object.getPrototypeOf(event) as object) as WebhookEvent,
    event,
    {
      payload,
      status: 'DELIVERING',
      lastResponseCode: null,
      lastResponseBody: null,
      updatedAt: event.createdAt,
    },
  );
  const ctx: RenderContext = {
    accountId: event.accountId,
    apiVersion: event.apiVersion,
    now: event.createdAt,
    bearer: null,
    webhook: true,
  };
  return Buffer.from(
    JSON.stringify({ data: renderResource(WebhookEventSerializer, asCreated, ctx) }),
  );
}

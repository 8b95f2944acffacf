import { registerResponseMigration } from '@app/common/versioning/response-migrations';

/**
 * API ≤1.2 (spec 03 §7): the activation response shows a machine that would be
 * ALIVE (FROM_CREATION) as NOT_STARTED without a last heartbeat. Only the response
 * changes. Importing this file registers it.
 */
registerResponseMigration({
  version: '1.2',
  name: 'machine-activation-not-started',
  transform({ method, route, status, body }) {
    if (method !== 'POST' || status >= 400 || !body || !/\/machines\/?$/.test(route)) {
      return;
    }
    const data = body.data as { type?: string; attributes?: Record<string, unknown> } | undefined;
    if (data?.type === 'machines' && data.attributes?.heartbeatStatus === 'ALIVE') {
      data.attributes.heartbeatStatus = 'NOT_STARTED';
      data.attributes.lastHeartbeat = null;
    }
  },
});

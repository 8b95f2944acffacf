/**
 * Every webhook event name (spec 05 §3.1): the valid subscription names, and the
 * domain events that fan out to endpoints. Keygen grows its table as names are
 * first emitted; we ship the whole list statically.
 */
export const WEBHOOK_EVENT_TYPES = [
  'account.updated',
  'account.settings.created',
  'account.settings.updated',
  'account.settings.deleted',
  'account.billing.updated',
  'account.plan.updated',
  'account.subscription.canceled',
  'account.subscription.paused',
  'account.subscription.renewed',
  'account.subscription.resumed',
  'artifact.created',
  'artifact.updated',
  'artifact.deleted',
  'artifact.downloaded',
  'artifact.upload.processing',
  'artifact.upload.succeeded',
  'artifact.uploaded',
  'artifact.upload.failed',
  'component.created',
  'component.updated',
  'component.deleted',
  'entitlement.created',
  'entitlement.updated',
  'entitlement.deleted',
  'environment.created',
  'environment.updated',
  'environment.deleted',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.owners.attached',
  'group.owners.detached',
  'key.created',
  'key.updated',
  'key.deleted',
  'license.created',
  'license.updated',
  'license.deleted',
  'license.validation.succeeded',
  'license.validation.failed',
  'license.validated',
  'license.suspended',
  'license.reinstated',
  'license.renewed',
  'license.revoked',
  'license.checked-in',
  'license.checked-out',
  'license.usage.incremented',
  'license.usage.decremented',
  'license.usage.reset',
  'license.policy.updated',
  'license.group.updated',
  'license.owner.updated',
  'license.user.updated',
  'license.users.attached',
  'license.users.detached',
  'license.entitlements.attached',
  'license.entitlements.detached',
  'license.expiring-soon',
  'license.expired',
  'license.check-in-required-soon',
  'license.check-in-overdue',
  'machine.created',
  'machine.updated',
  'machine.deleted',
  'machine.group.updated',
  'machine.owner.updated',
  'machine.heartbeat.ping',
  'machine.heartbeat.resurrected',
  'machine.heartbeat.reset',
  'machine.heartbeat.dead',
  'machine.heartbeat.pong',
  'machine.checked-out',
  'machine.proofs.generated',
  'package.created',
  'package.updated',
  'package.deleted',
  'policy.created',
  'policy.updated',
  'policy.deleted',
  'policy.entitlements.attached',
  'policy.entitlements.detached',
  'policy.pool.popped',
  'process.created',
  'process.updated',
  'process.deleted',
  'process.heartbeat.ping',
  'process.heartbeat.resurrected',
  'process.heartbeat.dead',
  'process.heartbeat.pong',
  'product.created',
  'product.updated',
  'product.deleted',
  'release.created',
  'release.updated',
  'release.deleted',
  'release.published',
  'release.yanked',
  'release.upgraded',
  'release.downloaded',
  'release.package.updated',
  'release.constraints.attached',
  'release.constraints.detached',
  'release.uploaded',
  'release.replaced',
  'second-factor.created',
  'second-factor.deleted',
  'second-factor.enabled',
  'second-factor.disabled',
  'token.generated',
  'token.regenerated',
  'token.revoked',
  'user.created',
  'user.updated',
  'user.deleted',
  'user.banned',
  'user.unbanned',
  'user.group.updated',
  'user.password-reset',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The subscription that matches every event; legal only alone. */
export const ALL_EVENTS = '*';

const KNOWN: ReadonlySet<string> = new Set(WEBHOOK_EVENT_TYPES);

/** Cloud-billing names: valid subscriptions that are never delivered here (spec 05 scope). */
const NEVER_DELIVERED: ReadonlySet<string> = new Set(
  WEBHOOK_EVENT_TYPES.filter(
    (e) =>
      e.startsWith('account.billing.') ||
      e.startsWith('account.plan.') ||
      e.startsWith('account.subscription.'),
  ),
);

export function isWebhookEventType(name: string): name is WebhookEventType {
  return KNOWN.has(name);
}

/** Whether a domain event of this name fans out to webhook endpoints. */
export function isDeliverable(name: string): boolean {
  return KNOWN.has(name) && !NEVER_DELIVERED.has(name);
}

/** Keygen's `subscribed?`: `*` or the exact name. */
export function isSubscribed(subscriptions: readonly string[], event: string): boolean {
  return subscriptions.includes(ALL_EVENTS) || subscriptions.includes(event);
}

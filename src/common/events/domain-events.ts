import { Injectable, Logger } from '@nestjs/common';
import type { Serializer } from '@libs/jsonapi';
import type { RequestContext } from '../context/request-context';

/**
 * A domain event (`user.created`, `token.generated`, ...). Webhooks, event logs
 * and caches subscribe; resource modules only emit. Emit after the write committed.
 */
export interface DomainEvent {
  name: string;
  ctx: RequestContext;
  /** The record the event is about, with the serializer that renders it. */
  resource: { type: string; id: string; record: unknown; serializer?: Serializer<never> };
  /** Event-specific extras (e.g. `passwordResetToken` for user.password-reset). */
  meta?: Record<string, unknown>;
  /** Previous attribute values for update diffs (event logs). */
  changes?: Record<string, [unknown, unknown]>;
  at: Date;
}

export type DomainEventHandler = (event: DomainEvent) => void | Promise<void>;

@Injectable()
export class DomainEvents {
  private readonly logger = new Logger('DomainEvents');
  private readonly handlers: DomainEventHandler[] = [];

  subscribe(handler: DomainEventHandler): void {
    this.handlers.push(handler);
  }

  /** Publishes to every subscriber; a failing subscriber never fails the request. */
  emit(
    name: string,
    ctx: RequestContext,
    resource: DomainEvent['resource'],
    extra: Pick<DomainEvent, 'meta' | 'changes'> = {},
  ): void {
    const event: DomainEvent = { name, ctx, resource, ...extra, at: ctx.clock.now() };
    for (const h of this.handlers) {
      try {
        const r = h(event);
        if (r instanceof Promise) {
          r.catch((e: unknown) => this.logger.error(`subscriber failed for ${name}: ${String(e)}`));
        }
      } catch (e) {
        this.logger.error(`subscriber failed for ${name}: ${String(e)}`);
      }
    }
  }
}

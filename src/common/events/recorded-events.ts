import { Injectable } from '@nestjs/common';
import { DomainEvents, type DomainEvent } from './domain-events';

/** Keeps the last events in memory; tests assert on it (`events.named('user.created')`). */
@Injectable()
export class RecordedEvents {
  private readonly events: DomainEvent[] = [];

  constructor(bus: DomainEvents) {
    bus.subscribe((e) => {
      this.events.push(e);
      if (this.events.length > 1000) {
        this.events.shift();
      }
    });
  }

  named(name: string, accountId?: string): DomainEvent[] {
    return this.events.filter((e) => e.name === name && (!accountId || e.ctx.account.account.id === accountId));
  }
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One domain event (spec 06 §2); `id` is a UUIDv7. Append-only. */
@Entity('event_logs')
export class EventLog {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('uuid', { nullable: true }) environmentId: string | null;
  /** Event name, e.g. `license.updated`. */
  @Column('text') event: string;
  @Column('text') resourceType: string;
  @Column('uuid') resourceId: string;
  @Column('text', { nullable: true }) whodunnitType: string | null;
  @Column('uuid', { nullable: true }) whodunnitId: string | null;
  /** The request the event happened in (it may not be request-logged itself). */
  @Column('uuid', { nullable: true }) requestLogId: string | null;
  /** Keygen's snake_case keys; camelized when rendered. */
  @Column('jsonb') metadata: Record<string, unknown>;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

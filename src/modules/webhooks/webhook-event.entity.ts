import { Column, Entity, PrimaryColumn } from 'typeorm';

export const WEBHOOK_EVENT_STATUSES = ['DELIVERING', 'DELIVERED', 'FAILING', 'FAILED'] as const;
export type WebhookEventStatus = (typeof WEBHOOK_EVENT_STATUSES)[number];

/**
 * One delivery of one event to one endpoint (spec 05 §2). `payload` is the resource
 * document as a JSON string at `apiVersion`; `endpoint` is the URL at creation.
 */
@Entity('webhook_events')
export class WebhookEvent {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('uuid', { nullable: true }) environmentId: string | null;
  @Column('uuid', { nullable: true }) webhookEndpointId: string | null;
  @Column('text') event: string;
  @Column('text') endpoint: string;
  @Column('text') apiVersion: string;
  @Column('text') payload: string;
  @Column('text') status: WebhookEventStatus;
  @Column('text') idempotencyToken: string;
  @Column('integer', { nullable: true }) lastResponseCode: number | null;
  @Column('text', { nullable: true }) lastResponseBody: string | null;
  /** Delivery attempts made so far (internal). */
  @Column('integer') attempts: number;
  @Column('text', { nullable: true }) jobId: string | null;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SignatureAlgorithm } from '@libs/crypto';

/** A subscriber URL (spec 05 §1). `subscriptions: []` = disabled by the delivery worker. */
@Entity('webhook_endpoints')
export class WebhookEndpoint {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('uuid', { nullable: true }) environmentId: string | null;
  @Column('uuid', { nullable: true }) productId: string | null;
  @Column('text') url: string;
  @Column('text', { array: true }) subscriptions: string[];
  @Column('text') signatureAlgorithm: SignatureAlgorithm;
  @Column('text') apiVersion: string;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

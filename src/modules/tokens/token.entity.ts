import { Column, Entity, PrimaryColumn } from 'typeorm';

export const BEARER_TYPES = ['users', 'products', 'licenses', 'environments'] as const;
export type BearerType = (typeof BEARER_TYPES)[number];

@Entity('tokens')
export class Token {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('uuid', { nullable: true }) environmentId: string | null;
  @Column('text') bearerType: BearerType;
  @Column('uuid') bearerId: string;
  /** hex HMAC-SHA256 of the raw token keyed by the account secret; the raw value is never stored. */
  @Column('text') digest: string;
  @Column('text') kind: string;
  @Column('text', { nullable: true }) name: string | null;
  @Column('timestamptz', { nullable: true }) expiry: Date | null;
  @Column('text', { array: true }) permissions: string[];
  @Column('integer', { nullable: true }) maxActivations: number | null;
  @Column('integer', { nullable: true }) maxDeactivations: number | null;
  @Column('integer') activations: number;
  @Column('integer') deactivations: number;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
  /** Set only on generate/regenerate responses. */
  raw?: string;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

export const DISTRIBUTION_STRATEGIES = ['LICENSED', 'OPEN', 'CLOSED'] as const;
export type DistributionStrategy = (typeof DISTRIBUTION_STRATEGIES)[number];

@Entity('products')
export class Product {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('uuid', { nullable: true }) environmentId: string | null;
  @Column('text') name: string;
  @Column('text', { nullable: true }) code: string | null;
  /** Stored as given; null behaves as LICENSED (spec 02 §1.2). */
  @Column('text', { nullable: true }) distributionStrategy: string | null;
  @Column('text', { nullable: true }) url: string | null;
  @Column('jsonb', { nullable: true }) platforms: string[] | null;
  @Column('text', { array: true }) permissions: string[];
  @Column('jsonb') metadata: Record<string, unknown>;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

/** Keygen's `licensed?`: LICENSED or unset. */
export function isLicensed(p: Pick<Product, 'distributionStrategy'>): boolean {
  return p.distributionStrategy === null || p.distributionStrategy === 'LICENSED';
}

export function isOpen(p: Pick<Product, 'distributionStrategy'>): boolean {
  return p.distributionStrategy === 'OPEN';
}

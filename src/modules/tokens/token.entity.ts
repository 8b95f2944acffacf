import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Bearer } from '@app/common/auth/bearer';
import type { Environment } from '@app/modules/environments/environment.entity';
import type { User } from '@app/modules/users/user.entity';

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

/**
 * A token as services hand it around and the serializer renders it: `bearer` is the
 * loaded bearer (`kind` and effective permissions come from it), null when orphaned.
 */
export type TokenView = Token & { bearer?: Bearer | null };

/** The rows TokensRepository joins onto a token (users and environments bearers). */
export type JoinedToken = TokenView & {
  bearerUser?: User | null;
  bearerEnvironment?: Environment | null;
};

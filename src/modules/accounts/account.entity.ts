import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('accounts')
export class Account {
  @PrimaryColumn('uuid') id: string;
  @Column('text') slug: string;
  @Column('text', { nullable: true }) name: string | null;
  @Column('text') apiVersion: string;
  @Column('boolean') protected: boolean;
  @Column('text') status: string;
  @Column('text', { nullable: true }) cname: string | null;
  @Column('text', { nullable: true }) domain: string | null;
  @Column('text') ed25519PublicKey: string;
  /** Encrypted at rest (SecretBox). */
  @Column('text') ed25519PrivateKey: string;
  @Column('text') rsaPublicKey: string;
  /** Encrypted at rest (SecretBox). */
  @Column('text') rsaPrivateKey: string;
  @Column('text') ecdsaPublicKey: string;
  /** Encrypted at rest (SecretBox). */
  @Column('text') ecdsaPrivateKey: string;
  /** HMAC key for token digests; encrypted at rest (SecretBox). */
  @Column('text') secretKey: string;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

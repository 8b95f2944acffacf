import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('second_factors')
export class SecondFactor {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('uuid', { nullable: true }) environmentId: string | null;
  @Column('uuid') userId: string;
  /** base32 TOTP secret, encrypted at rest (SecretBox). */
  @Column('text') secret: string;
  @Column('boolean') enabled: boolean;
  @Column('bigint', {
    nullable: true,
    transformer: {
      to: (v: number | null) => v,
      from: (v: string | null) => (v === null ? null : Number(v)),
    },
  })
  lastVerifiedStep: number | null;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
  /** Decrypted secret and the owner's email: set only to render API responses (uri/secret). */
  otpSecret?: string;
  userEmail?: string;
}

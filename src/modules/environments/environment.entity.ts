import { Column, Entity, PrimaryColumn } from 'typeorm';

export const ISOLATION_STRATEGIES = ['ISOLATED', 'SHARED'] as const;
export type IsolationStrategy = (typeof ISOLATION_STRATEGIES)[number];

@Entity('environments')
export class Environment {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('text') name: string;
  @Column('text') code: string;
  @Column('text') isolationStrategy: IsolationStrategy;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One logged API request (spec 06 §1); `id` is the request id. Append-only. */
@Entity('request_logs')
export class RequestLog {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('uuid', { nullable: true }) environmentId: string | null;
  /** JSON:API type of the bearer (`users`, `products`, `licenses`, `environments`). */
  @Column('text', { nullable: true }) requestorType: string | null;
  @Column('uuid', { nullable: true }) requestorId: string | null;
  /** JSON:API type of the record the route addressed. */
  @Column('text', { nullable: true }) resourceType: string | null;
  @Column('uuid', { nullable: true }) resourceId: string | null;
  @Column('text') method: string;
  @Column('text') url: string;
  @Column('text') status: string;
  @Column('text', { nullable: true }) userAgent: string | null;
  @Column('text', { nullable: true }) ip: string | null;
  @Column('json', { nullable: true }) requestHeaders: Record<string, string> | null;
  @Column('text', { nullable: true }) requestBody: string | null;
  @Column('json', { nullable: true }) responseHeaders: Record<string, string> | null;
  @Column('text', { nullable: true }) responseBody: string | null;
  @Column('text', { nullable: true }) responseSignature: string | null;
  /** Internal timings in ms (not rendered): proxy queue time and handling time. */
  @Column('double precision') queueTime: number;
  @Column('double precision') runTime: number;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
}

/** The columns a list renders (the heavy ones stay in the table; spec 06 §1.2). */
export const REQUEST_LOG_LIST_COLUMNS = [
  'id',
  'accountId',
  'environmentId',
  'requestorType',
  'requestorId',
  'resourceType',
  'resourceId',
  'method',
  'url',
  'status',
  'userAgent',
  'ip',
  'createdAt',
  'updatedAt',
] as const satisfies ReadonlyArray<keyof RequestLog>;

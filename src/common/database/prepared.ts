import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Named prepared statements on the pg pool for hot-path reads: each connection
 * parses and plans the statement once, then only binds. Use for a handful of
 * per-request queries (token auth, validation); TypeORM stays for everything else.
 */
@Injectable()
export class PreparedQueries {
  private readonly pool: Pool;

  constructor(ds: DataSource) {
    this.pool = (ds.driver as PostgresDriver).master as Pool;
  }

  async rows<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
    const result = await this.pool.query({ name, text, values });
    return result.rows as T[];
  }
}

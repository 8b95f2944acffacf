import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Named prepared statements on the pg pool for hot-path statements: each connection
 * parses and plans a statement once, then only binds (a lookup joining three tables
 * costs ~3x more to plan than to run). Use for a handful of per-request queries
 * (token auth, validation, heartbeats) outside transactions; TypeORM stays for
 * everything else.
 */
@Injectable()
export class PreparedQueries {
  private readonly pool: Pool;
  /** Statement text → its generated name (a digest of the text, so one text, one name). */
  private readonly names = new Map<string, string>();

  constructor(ds: DataSource) {
    this.pool = (ds.driver as PostgresDriver).master as Pool;
  }

  async rows<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
    const result = await this.pool.query({ name, text, values });
    return result.rows as T[];
  }

  /**
   * Runs `text` as a prepared statement named after its digest, for statements built
   * from a bounded set of shapes (a scope's clauses, never a list of values): every
   * distinct text stays prepared on every connection of the pool.
   */
  async query<T>(text: string, values: unknown[]): Promise<{ rows: T[]; rowCount: number }> {
    let name = this.names.get(text);
    if (name === undefined) {
      name = `kw_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
      this.names.set(text, name);
    }
    const result = await this.pool.query({ name, text, values });
    return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
  }
}

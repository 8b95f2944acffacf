import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { leanRows, leanShape, type LeanShape } from './lean-rows';

/**
 * Named prepared statements on the pg pool for hot-path statements: each connection
 * parses and plans a statement once, then only binds (a lookup joining three tables
 * costs ~3x more to plan than to run). Use for a handful of per-request queries
 * (token auth, validation, heartbeats) outside transactions; TypeORM stays for
 * everything else.
 *
 * Wide results come back lean (see lean-rows.ts): a statement's first run is plain
 * and tells us its column types; from then on it may run wrapped in `row_to_json`
 * under its own name, and callers get the same rows for less decoding.
 */
@Injectable()
export class PreparedQueries {
  private readonly pool: Pool;
  /** Statement text → its generated name (a digest of the text, so one text, one name). */
  private readonly names = new Map<string, string>();
  /** Statement name → how it runs once its columns are known. */
  private readonly shapes = new Map<string, LeanShape>();

  constructor(ds: DataSource) {
    this.pool = (ds.driver as PostgresDriver).master as Pool;
  }

  async rows<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
    return (await this.run<T>(name, text, values)).rows;
  }

  /**
   * Runs `text` as a prepared statement named after its digest, for statements built
   * from a bounded set of shapes (a scope's clauses, never a list of values): every
   * distinct text stays prepared on every connection of the pool.
   */
  query<T>(text: string, values: unknown[]): Promise<{ rows: T[]; rowCount: number }> {
    let name = this.names.get(text);
    if (name === undefined) {
      name = `kw_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
      this.names.set(text, name);
    }
    return this.run<T>(name, text, values);
  }

  private async run<T>(
    name: string,
    text: string,
    values: unknown[],
  ): Promise<{ rows: T[]; rowCount: number }> {
    const shape = this.shapes.get(name);
    if (shape?.lean) {
      const result = await this.pool.query<Record<string, unknown>>({
        name: `${name}_j`,
        text: shape.text,
        values,
      });
      return { rows: leanRows<T>(result.rows, shape), rowCount: result.rowCount ?? 0 };
    }
    const result = await this.pool.query({ name, text, values });
    if (shape === undefined) {
      this.shapes.set(name, leanShape(text, result.fields ?? []));
    }
    return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
  }
}

import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';

/** A stable 64-bit key for pg advisory locks from a name. */
export function advisoryKey(name: string): string {
  return BigInt.asIntN(64, BigInt(`0x${createHash('sha256').update(name).digest('hex').slice(0, 16)}`)).toString();
}

/**
 * Runs `fn` only if no other process holds the named lock right now (a sweep
 * runs once per cluster); returns null when another holder has it. The lock is
 * transaction-scoped, so it is released even if the process dies.
 */
@Injectable()
export class AdvisoryLock {
  constructor(private readonly ds: DataSource) {}

  async tryExclusive<T>(name: string, fn: () => Promise<T>): Promise<T | null> {
    return this.ds.transaction(async (m) => {
      const rows = (await m.query('SELECT pg_try_advisory_xact_lock($1::bigint) AS ok', [advisoryKey(name)])) as Array<{
        ok: boolean;
      }>;
      if (!rows[0]?.ok) {
        return null;
      }
      return fn();
    });
  }
}

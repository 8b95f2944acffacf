import { Controller, Get, Module, Param } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Public } from '@app/common/auth/decorators';
import { Raw, type RawResult } from '@app/common/http/render';

/** Rows in `bench_items`; keys are `key-1` .. `key-<BENCH_ITEMS>`. */
export const BENCH_ITEMS = 100_000;

/** Created by the benchmark's own setup (not a migration): one indexed text key per row. */
export const BENCH_ITEMS_SQL = `
  DROP TABLE IF EXISTS bench_items;
  CREATE TABLE bench_items (key text PRIMARY KEY, value text NOT NULL);
  INSERT INTO bench_items (key, value)
    SELECT 'key-' || g, md5(g::text) FROM generate_series(1, ${BENCH_ITEMS}) AS g;
  ANALYZE bench_items;
`;

const CONSTANT = Buffer.from(JSON.stringify({ meta: { ok: true, service: 'keyward-bench' } }));

function json(body: Buffer): RawResult {
  return { kind: 'raw', status: 200, body, contentType: 'application/json' };
}

/**
 * Baselines served by the same adapter, middleware and global guards as the API:
 * global @Public routes are not signed (no account), so they measure the framework
 * floor and the floor plus one indexed query.
 */
@Controller('bench')
export class BenchController {
  constructor(private readonly ds: DataSource) {}

  @Get('constant')
  @Public({ global: true })
  @Raw()
  constant(): RawResult {
    return json(CONSTANT);
  }

  @Get('indexed/:key')
  @Public({ global: true })
  @Raw()
  async indexed(@Param('key') key: string): Promise<RawResult> {
    const rows = (await this.ds.query('SELECT value FROM bench_items WHERE key = $1', [
      key,
    ])) as Array<{
      value: string;
    }>;
    return json(Buffer.from(JSON.stringify({ key, value: rows[0]?.value ?? null })));
  }
}

/** Mounted through `createApp(runtime, { extraModules: [BenchModule] })`; never in production. */
@Module({ controllers: [BenchController] })
export class BenchModule {}

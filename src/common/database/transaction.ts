import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** Multi-row writes run in `tx.run(async (m) => ...)`; repositories accept the manager. */
@Injectable()
export class TransactionRunner {
  constructor(private readonly ds: DataSource) {}

  run<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }

  get manager(): EntityManager {
    return this.ds.manager;
  }
}

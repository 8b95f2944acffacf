import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate, whereInScope } from '@app/common/database/scoped-query';
import type { ListResult } from '@app/common/http/render';
import { isUuidLike, normalizeUuid } from '@app/common/ids';
import { Key } from './key.entity';
import type { KeyAccess } from './key.policy';
import type { KeyView } from './key.view';

/** `GET /keys` filters; undefined = no filter, null = a filter no key can match. */
export interface KeyListFilters {
  policyId?: string | null;
  productId?: string | null;
}

interface KeyRow {
  id: string;
  account_id: string;
  environment_id: string | null;
  policy_id: string;
  key: string;
  created_at: Date;
  updated_at: Date;
}

const KEY_COLUMNS = 'id, account_id, environment_id, policy_id, key, created_at, updated_at';

/**
 * One key of the policy's pool, newest first, removed in one statement. SKIP LOCKED
 * makes concurrent pops (and license creates) each take a different key: a key
 * another transaction holds is passed over, never handed out twice.
 */
const POP_SQL = `
WITH popped AS (
  DELETE FROM keys
   WHERE id = (SELECT id FROM keys
                WHERE account_id = $1 AND policy_id = $2
                ORDER BY created_at DESC, id DESC
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
  RETURNING ${KEY_COLUMNS}
)
SELECT ${KEY_COLUMNS} FROM popped`;

/**
 * All SQL for pool keys. Keys are long (up to 1 KiB), so equality goes through the
 * md5(key) index and compares the key itself too. The product of a key is its
 * policy's, attached after loading.
 */
@Injectable()
export class KeysRepository {
  constructor(@InjectRepository(Key) private readonly repo: Repository<Key>) {}

  private scoped(scope: AccountScope, access: KeyAccess): SelectQueryBuilder<Key> {
    const qb = whereInScope(this.repo.createQueryBuilder('k'), 'k', scope);
    switch (access.kind) {
      case 'all':
        break;
      case 'product':
        qb.andWhere(
          'k.policy_id IN (SELECT ap.id FROM policies ap WHERE ap.account_id = :scopeAccountId AND ap.product_id = :accessProductId)',
          { accessProductId: access.productId },
        );
        break;
      case 'none':
        qb.andWhere('1 = 0');
        break;
    }
    return qb;
  }

  /** By (normalised) id within the scope and access. */
  async findVisible(scope: AccountScope, access: KeyAccess, id: string): Promise<KeyView | null> {
    const key = await this.scoped(scope, access).andWhere('k.id = :id', { id }).getOne();
    return key ? ((await this.withProducts(scope, [key]))[0] ?? null) : null;
  }

  async list(
    scope: AccountScope,
    access: KeyAccess,
    filters: KeyListFilters,
    pagination: Pagination,
  ): Promise<ListResult<KeyView>> {
    const qb = this.scoped(scope, access);
    if (filters.policyId === null || filters.productId === null) {
      qb.andWhere('1 = 0');
    }
    if (filters.policyId) {
      qb.andWhere('k.policy_id = :policyId', { policyId: filters.policyId });
    }
    if (filters.productId) {
      qb.andWhere(
        'k.policy_id IN (SELECT fp.id FROM policies fp WHERE fp.account_id = :scopeAccountId AND fp.product_id = :productId)',
        { productId: filters.productId },
      );
    }
    const page = await paginate(qb, 'k', pagination);
    return { ...page, rows: await this.withProducts(scope, page.rows) };
  }

  /** A key of the policy's pool by (normalised) id, in any environment (the rules decide). */
  async findInPool(scope: AccountScope, policyId: string, id: string): Promise<KeyView | null> {
    const key = await this.repo.findOneBy({ accountId: scope.accountId, policyId, id });
    return key ? ((await this.withProducts(scope, [key]))[0] ?? null) : null;
  }

  /** Whether another key of the account (any environment) is exactly `key`. */
  async keyTaken(scope: AccountScope, key: string, exceptId?: string): Promise<boolean> {
    const rows: unknown[] = await this.repo.query(
      `SELECT 1 FROM keys
        WHERE account_id = $1 AND md5(key) = md5($2) AND key = $2 AND id IS DISTINCT FROM $3
        LIMIT 1`,
      [scope.accountId, key, exceptId ?? null],
    );
    return rows.length > 0;
  }

  /** Whether a license of the account has `key` as its id (a UUID in any spelling). */
  async licenseHasId(scope: AccountScope, key: string): Promise<boolean> {
    if (!isUuidLike(key)) {
      return false;
    }
    const rows: unknown[] = await this.repo.query(
      `SELECT 1 FROM licenses WHERE account_id = $1 AND id = $2 LIMIT 1`,
      [scope.accountId, normalizeUuid(key)],
    );
    return rows.length > 0;
  }

  /** Whether a license of the account has exactly `key` as its key. */
  async licenseHasKey(scope: AccountScope, key: string): Promise<boolean> {
    const rows: unknown[] = await this.repo.query(
      `SELECT 1 FROM licenses
        WHERE account_id = $1 AND md5(key) = md5($2) AND key = $2
        LIMIT 1`,
      [scope.accountId, key],
    );
    return rows.length > 0;
  }

  async insert(scope: AccountScope, key: Key): Promise<void> {
    const { id, environmentId, policyId, createdAt, updatedAt } = key;
    await this.repo.insert({
      id,
      accountId: scope.accountId,
      environmentId,
      policyId,
      key: key.key,
      createdAt,
      updatedAt,
    });
  }

  async updateKey(scope: AccountScope, id: string, key: string, updatedAt: Date): Promise<void> {
    await this.repo.update({ accountId: scope.accountId, id }, { key, updatedAt });
  }

  async delete(scope: AccountScope, id: string): Promise<void> {
    await this.repo.delete({ accountId: scope.accountId, id });
  }

  /**
   * Removes and returns the newest key of the policy's pool (any environment, like
   * Keygen's `policy.pool`), or null when no unlocked key is left. With `m`, inside
   * the caller's transaction: the key is gone only if that transaction commits.
   */
  async pop(scope: AccountScope, policyId: string, m?: EntityManager): Promise<Key | null> {
    const rows: KeyRow[] = await (m ?? this.repo.manager).query(POP_SQL, [
      scope.accountId,
      policyId,
    ]);
    const r = rows[0];
    if (!r) {
      return null;
    }
    return Object.assign(new Key(), {
      id: r.id,
      accountId: r.account_id,
      environmentId: r.environment_id,
      policyId: r.policy_id,
      key: r.key,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    });
  }

  /** Adds each key's product (its policy's) with one query. */
  private async withProducts(scope: AccountScope, keys: Key[]): Promise<KeyView[]> {
    if (keys.length === 0) {
      return [];
    }
    const policyIds = [...new Set(keys.map((k) => k.policyId))];
    const rows: Array<{ id: string; product_id: string }> = await this.repo.query(
      `SELECT id, product_id FROM policies WHERE account_id = $1 AND id = ANY($2::uuid[])`,
      [scope.accountId, policyIds],
    );
    const products = new Map(rows.map((r) => [r.id, r.product_id]));
    return keys.map((k) => Object.assign(k, { productId: products.get(k.policyId) ?? '' }));
  }
}

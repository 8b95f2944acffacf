import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityMetadata, Repository } from 'typeorm';
import { internPermissions } from '@app/common/auth/permissions';
import { PreparedQueries } from '@app/common/database/prepared';
import { Policy } from '@app/modules/policies/policy.entity';
import { License } from '../license.entity';
import type { LicenseOwner } from '../license.view';
import type { LicenseBearerRecord } from './license-bearer';

type Row = Record<string, unknown>;

/** `l.col AS "l_col"` for every mapped column; text[] as its literal, to be interned. */
function selectList(meta: EntityMetadata, alias: string): string {
  return meta.columns
    .map((c) => {
      const src = `${alias}.${c.databaseName}`;
      return `${c.isArray ? `${src}::text` : src} AS "${alias}_${c.databaseName}"`;
    })
    .join(', ');
}

/** How one column of a row becomes one property: its row key and its read transform. */
interface ColumnReader {
  property: string;
  key: string;
  /** null: the raw value as is (no transformer). */
  read: ((raw: unknown) => unknown) | null;
}

/** The readers for `alias_*` columns, built once per entity (hydrate runs per request). */
function columnReaders(meta: EntityMetadata, alias: string): ColumnReader[] {
  return meta.columns.map((c): ColumnReader => {
    const transformers = c.transformer
      ? Array.isArray(c.transformer)
        ? c.transformer
        : [c.transformer]
      : [];
    let read: ColumnReader['read'] = null;
    if (c.isArray) {
      read = (raw) => internPermissions(raw as string);
    } else if (transformers.length === 1) {
      const [t] = transformers;
      read = (raw) => t.from(raw) as unknown;
    } else if (transformers.length > 1) {
      read = (raw) => transformers.reduceRight<unknown>((v, t) => t.from(v), raw);
    }
    return { property: c.propertyName, key: `${alias}_${c.databaseName}`, read };
  });
}

/** A row's `alias_*` values as an entity instance (the same mapping TypeORM applies). */
function hydrate<T>(meta: EntityMetadata, readers: readonly ColumnReader[], row: Row): T {
  const entity = meta.create() as Record<string, unknown>;
  for (const c of readers) {
    const raw = row[c.key];
    entity[c.property] =
      raw === null || raw === undefined ? null : c.read === null ? raw : c.read(raw);
  }
  return entity as T;
}

/**
 * The license-bearer reads: one indexed round trip for license + policy + owner, as
 * a named prepared statement (license-key authentication is a hot path). By key: the
 * md5(key) index, then the key itself; by id: the primary key. Both account-wide;
 * callers apply the environment rule on the row, so each statement keeps one plan.
 */
@Injectable()
export class LicenseBearersRepository {
  private readonly licenseMeta: EntityMetadata;
  private readonly policyMeta: EntityMetadata;
  private readonly licenseReaders: ColumnReader[];
  private readonly policyReaders: ColumnReader[];
  private readonly byKeySql: string;
  private readonly byIdSql: string;
  private readonly byIdsSql: string;
  /** The license-bearer columns and joins for a token lookup (alias `t`); see JoinedBearer. */
  readonly tokenSelect: string;
  readonly tokenJoin: string;

  constructor(
    @InjectRepository(License) repo: Repository<License>,
    private readonly prepared: PreparedQueries,
  ) {
    this.licenseMeta = repo.metadata;
    this.policyMeta = repo.manager.connection.getMetadata(Policy);
    this.licenseReaders = columnReaders(this.licenseMeta, 'l');
    this.policyReaders = columnReaders(this.policyMeta, 'p');
    const select = [
      selectList(this.licenseMeta, 'l'),
      selectList(this.policyMeta, 'p'),
      'o.id AS o_id, o.email AS o_email, o.role AS o_role, o.banned_at AS o_banned_at, o.permissions::text AS o_permissions',
    ].join(', ');
    const from = `FROM licenses l JOIN policies p ON p.id = l.policy_id LEFT JOIN users o ON o.id = l.owner_id`;
    this.byKeySql = `SELECT ${select} ${from} WHERE l.account_id = $1 AND md5(l.key) = md5($2) AND l.key = $2`;
    this.byIdSql = `SELECT ${select} ${from} WHERE l.account_id = $1 AND l.id = $2`;
    this.byIdsSql = `SELECT ${select} ${from} WHERE l.account_id = $1 AND l.id = ANY($2::uuid[])`;
    this.tokenSelect = select;
    this.tokenJoin = `LEFT JOIN licenses l ON t.bearer_type = 'licenses' AND l.id = t.bearer_id
        AND l.account_id = t.account_id
      LEFT JOIN policies p ON p.id = l.policy_id LEFT JOIN users o ON o.id = l.owner_id`;
  }

  /** The licenses with these ids in the account (any environment); `ids` must be UUIDs. */
  async findByIds(accountId: string, ids: readonly string[]): Promise<LicenseBearerRecord[]> {
    const rows = await this.prepared.rows<Row>('keyward_license_bearers', this.byIdsSql, [
      accountId,
      ids,
    ]);
    return rows.map((r) => this.record(r));
  }

  /** The license read by a token lookup with `tokenSelect`/`tokenJoin`, or null. */
  fromTokenRow(row: Row): LicenseBearerRecord | null {
    return row.l_id === null || row.l_id === undefined ? null : this.record(row);
  }

  /** The license whose key is exactly `key` in the account (any environment), or null. */
  async findByKey(accountId: string, key: string): Promise<LicenseBearerRecord | null> {
    const rows = await this.prepared.rows<Row>('keyward_license_key_auth', this.byKeySql, [
      accountId,
      key,
    ]);
    return rows.length > 0 ? this.record(rows[0]) : null;
  }

  /** The license by id in the account (any environment), or null. `id` must be a UUID. */
  async findById(accountId: string, id: string): Promise<LicenseBearerRecord | null> {
    const rows = await this.prepared.rows<Row>('keyward_license_bearer', this.byIdSql, [
      accountId,
      id,
    ]);
    return rows.length > 0 ? this.record(rows[0]) : null;
  }

  private record(row: Row): LicenseBearerRecord {
    const license = hydrate<License>(this.licenseMeta, this.licenseReaders, row);
    const policy = hydrate<Policy>(this.policyMeta, this.policyReaders, row);
    const owner: LicenseOwner | null =
      row.o_id === null
        ? null
        : {
            id: row.o_id as string,
            email: row.o_email as string,
            role: row.o_role as LicenseOwner['role'],
            bannedAt: row.o_banned_at as Date | null,
            permissions: internPermissions(row.o_permissions as string) as string[],
          };
    return Object.assign(license, {
      policy,
      owner,
      authenticationStrategy: policy.authenticationStrategy,
    });
  }
}

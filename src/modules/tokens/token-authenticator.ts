import { Injectable } from '@nestjs/common';
import { tokenDigest } from '@libs/crypto';
import { PreparedQueries } from '@app/common/database/prepared';
import { internPermissions } from '@app/common/auth/permissions';
import type { BearerType } from '@app/common/auth/bearer';
import {
  BearerLoaders,
  TokenAuthenticator,
  type JoinedBearer,
  type TokenAuthResult,
} from '@app/common/auth/ports';
import {
  isVisible,
  type AccountScope,
  type ResolvedAccount,
} from '@app/common/context/request-context';
import { User } from '@app/modules/users/user.entity';
import { userBearer } from '@app/modules/users/user-bearer';
import { Token } from './token.entity';

interface Row {
  t_id: string;
  t_environment_id: string | null;
  t_bearer_type: Token['bearerType'];
  t_bearer_id: string;
  t_kind: string;
  t_name: string | null;
  t_expiry: Date | null;
  /** text[] literal; interned, see internPermissions. */
  t_permissions: string;
  t_max_activations: number | null;
  t_max_deactivations: number | null;
  t_activations: number;
  t_deactivations: number;
  t_created_at: Date;
  t_updated_at: Date;
  u_id: string | null;
  u_environment_id: string | null;
  u_group_id: string | null;
  u_email: string;
  u_first_name: string | null;
  u_last_name: string | null;
  u_role: User['role'];
  u_permissions: string;
  u_metadata: Record<string, unknown>;
  u_banned_at: Date | null;
  u_created_at: Date;
  u_updated_at: Date;
}

const TOKEN_COLUMNS = `t.id t_id, t.environment_id t_environment_id, t.bearer_type t_bearer_type,
       t.bearer_id t_bearer_id, t.kind t_kind, t.name t_name, t.expiry t_expiry,
       t.permissions::text t_permissions, t.max_activations t_max_activations,
       t.max_deactivations t_max_deactivations, t.activations t_activations,
       t.deactivations t_deactivations, t.created_at t_created_at, t.updated_at t_updated_at`;

// One round trip: the token by its digest (unique index) joined to a user bearer.
const SQL = `
SELECT ${TOKEN_COLUMNS},
       u.id u_id, u.environment_id u_environment_id, u.group_id u_group_id, u.email u_email,
       u.first_name u_first_name, u.last_name u_last_name, u.role u_role,
       u.permissions::text u_permissions, u.metadata u_metadata, u.banned_at u_banned_at,
       u.created_at u_created_at, u.updated_at u_updated_at
  FROM tokens t
  LEFT JOIN users u ON t.bearer_type = 'users' AND u.id = t.bearer_id
 WHERE t.digest = $1 AND t.account_id = $2`;

/**
 * Token prefixes that name their bearer type (spec 01 §1.2: license tokens are
 * `activ-`): such tokens are read together with the bearer when its loader offers a
 * join, instead of a second round trip.
 */
const JOINED_PREFIXES: ReadonlyArray<readonly [string, BearerType]> = [['activ-', 'licenses']];

/**
 * Token authentication's hot path: HMAC digest (µs) + one indexed query (which also
 * reads the bearer: users always, licenses for `activ-` tokens). The
 * password hash is never touched per request. Environment visibility (spec 01
 * §3.3) is checked on the row, not in SQL, so the statement stays one plan.
 */
@Injectable()
export class TokenAuthenticatorImpl extends TokenAuthenticator {
  private readonly joinedSqls = new Map<BearerType, string>();

  constructor(
    private readonly prepared: PreparedQueries,
    private readonly loaders: BearerLoaders,
  ) {
    super();
  }

  async findByRaw(
    account: ResolvedAccount,
    scope: AccountScope,
    raw: string,
  ): Promise<TokenAuthResult | null> {
    const digest = tokenDigest(account.secretKey, raw);
    const joinedType = JOINED_PREFIXES.find(([prefix]) => raw.startsWith(prefix))?.[1];
    const joined = joinedType ? this.loaders.get(joinedType)?.joined : undefined;
    if (joinedType && joined) {
      const [j] = await this.prepared.rows<Row>(
        `keyward_token_auth_${joinedType}`,
        this.joinedSql(joinedType, joined),
        [digest, account.account.id],
      );
      if (!j) {
        return null;
      }
      if (j.t_bearer_type === joinedType) {
        return isVisible(scope, j.t_environment_id)
          ? {
              token: this.token(account, j, digest),
              bearer: joined.fromRow(j as unknown as Record<string, unknown>),
            }
          : null;
      }
      // A bearer of another type after all: read it the usual way.
    }
    const rows = await this.prepared.rows<Row>('keyward_token_auth', SQL, [
      digest,
      account.account.id,
    ]);
    const r = rows[0];
    if (!r || !isVisible(scope, r.t_environment_id)) {
      return null;
    }
    const token = this.token(account, r, digest);
    if (r.t_bearer_type === 'users') {
      if (!r.u_id) {
        return { token, bearer: null };
      }
      const user = Object.assign(new User(), {
        id: r.u_id,
        accountId: account.account.id,
        environmentId: r.u_environment_id,
        groupId: r.u_group_id,
        email: r.u_email,
        firstName: r.u_first_name,
        lastName: r.u_last_name,
        role: r.u_role,
        permissions: internPermissions(r.u_permissions) as string[],
        metadata: r.u_metadata,
        bannedAt: r.u_banned_at,
        createdAt: r.u_created_at,
        updatedAt: r.u_updated_at,
      });
      return { token, bearer: userBearer(user) };
    }
    const loader = this.loaders.get(r.t_bearer_type);
    return { token, bearer: loader ? await loader.load(scope, r.t_bearer_id) : null };
  }

  private token(account: ResolvedAccount, r: Row, digest: string): Token {
    return Object.assign(new Token(), {
      id: r.t_id,
      accountId: account.account.id,
      environmentId: r.t_environment_id,
      bearerType: r.t_bearer_type,
      bearerId: r.t_bearer_id,
      digest,
      kind: r.t_kind,
      name: r.t_name,
      expiry: r.t_expiry,
      permissions: internPermissions(r.t_permissions) as string[],
      maxActivations: r.t_max_activations,
      maxDeactivations: r.t_max_deactivations,
      activations: r.t_activations,
      deactivations: r.t_deactivations,
      createdAt: r.t_created_at,
      updatedAt: r.t_updated_at,
    });
  }

  /** The token lookup joined to one bearer type's columns (built once per type). */
  private joinedSql(type: BearerType, joined: JoinedBearer): string {
    let sql = this.joinedSqls.get(type);
    if (sql === undefined) {
      sql = `SELECT ${TOKEN_COLUMNS}, ${joined.select} FROM tokens t ${joined.join}
        WHERE t.digest = $1 AND t.account_id = $2`;
      this.joinedSqls.set(type, sql);
    }
    return sql;
  }
}

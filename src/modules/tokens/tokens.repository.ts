import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate, whereInScope } from '@app/common/database/scoped-query';
import type { ListResult } from '@app/common/http/render';
import { Environment } from '@app/modules/environments/environment.entity';
import { User } from '@app/modules/users/user.entity';
import type { TokenBearerFilter } from './dto/list-tokens.query';
import { Token, type BearerType, type JoinedToken } from './token.entity';
import type { TokenAccess } from './token.policy';

/**
 * All SQL for tokens. Reads join the bearer when it is a user or an environment
 * (mapped onto `bearerUser` / `bearerEnvironment`) so a page renders `kind` and
 * effective permissions without a query per row.
 */
@Injectable()
export class TokensRepository {
  constructor(@InjectRepository(Token) private readonly repo: Repository<Token>) {}

  private base(accountId: string, m?: EntityManager): SelectQueryBuilder<JoinedToken> {
    return (
      (m ? m.getRepository(Token) : this.repo).createQueryBuilder(
        't',
      ) as SelectQueryBuilder<JoinedToken>
    )
      .leftJoinAndMapOne(
        't.bearerUser',
        User,
        'u',
        "t.bearer_type = 'users' AND u.id = t.bearer_id",
      )
      .leftJoinAndMapOne(
        't.bearerEnvironment',
        Environment,
        'e',
        "t.bearer_type = 'environments' AND e.id = t.bearer_id",
      )
      .where('t.account_id = :accountId', { accountId });
  }

  /** Visible in the scope (spec 01 §3.3) and in the bearer's access. */
  private scoped(scope: AccountScope, access: TokenAccess): SelectQueryBuilder<JoinedToken> {
    const qb = whereInScope(this.base(scope.accountId), 't', scope);
    switch (access.kind) {
      case 'all':
        break;
      case 'own':
        qb.andWhere('t.bearer_type = :ownType AND t.bearer_id = :ownId', {
          ownType: access.type,
          ownId: access.id,
        });
        break;
      case 'product':
        // Its own tokens, its licenses' and the tokens of its licenses' users (owners or licensees).
        qb.andWhere(
          `((t.bearer_type = 'products' AND t.bearer_id = :productId)
            OR (t.bearer_type = 'licenses' AND EXISTS (
                  SELECT 1 FROM licenses pl WHERE pl.id = t.bearer_id AND pl.product_id = :productId))
            OR (t.bearer_type = 'users' AND EXISTS (
                  SELECT 1 FROM licenses pl WHERE pl.product_id = :productId AND (pl.owner_id = t.bearer_id
                    OR EXISTS (SELECT 1 FROM license_users plu WHERE plu.license_id = pl.id AND plu.user_id = t.bearer_id)))))`,
          { productId: access.productId },
        );
        break;
      case 'environment':
        // compat: an environment sees every token of its environment except admins' tokens.
        qb.andWhere(
          "NOT (t.bearer_type = 'users' AND COALESCE(u.role, '') = 'admin' AND (u.environment_id = :accessEnvId OR u.environment_id IS NULL))",
          { accessEnvId: access.environmentId },
        );
        break;
    }
    return qb;
  }

  private applyBearerFilter(qb: SelectQueryBuilder<JoinedToken>, filter: TokenBearerFilter): void {
    if (filter.kind === 'none') {
      qb.andWhere('1 = 0');
      return;
    }
    if (filter.type !== undefined) {
      qb.andWhere(filter.type === null ? '1 = 0' : 't.bearer_type = :fType', {
        fType: filter.type,
      });
    }
    if (filter.id !== undefined) {
      qb.andWhere(filter.id === null ? '1 = 0' : 't.bearer_id = :fId', { fId: filter.id });
    }
    if (filter.roles) {
      const parts: string[] = [];
      if (filter.roles.userRoles.length > 0) {
        parts.push('(u.id IS NOT NULL AND u.role IN (:...fUserRoles))');
      }
      if (filter.roles.types.length > 0) {
        parts.push('t.bearer_type IN (:...fRoleTypes)');
      }
      qb.andWhere(parts.length > 0 ? `(${parts.join(' OR ')})` : '1 = 0', {
        fUserRoles: filter.roles.userRoles,
        fRoleTypes: filter.roles.types,
      });
    }
  }

  list(
    scope: AccountScope,
    access: TokenAccess,
    filter: TokenBearerFilter | null,
    pagination: Pagination,
  ): Promise<ListResult<JoinedToken>> {
    const qb = this.scoped(scope, access);
    if (filter) {
      this.applyBearerFilter(qb, filter);
    }
    return paginate<JoinedToken>(qb, 't', pagination);
  }

  /** Tokens of one bearer, visible in the scope and the caller's access. */
  listOfBearer(
    scope: AccountScope,
    access: TokenAccess,
    bearer: { type: BearerType; id: string },
    pagination: Pagination,
  ): Promise<ListResult<JoinedToken>> {
    const qb = this.scoped(scope, access).andWhere(
      't.bearer_type = :bType AND t.bearer_id = :bId',
      {
        bType: bearer.type,
        bId: bearer.id,
      },
    );
    return paginate<JoinedToken>(qb, 't', pagination);
  }

  findVisible(scope: AccountScope, access: TokenAccess, id: string): Promise<JoinedToken | null> {
    return this.scoped(scope, access).andWhere('t.id = :id', { id }).getOne();
  }

  /**
   * One token of a bearer in any environment of the account; nested show routes
   * check the environment afterwards (non-strict, like Keygen's policy).
   */
  findOfBearer(
    scope: AccountScope,
    bearer: { type: BearerType; id: string },
    id: string,
  ): Promise<JoinedToken | null> {
    return this.base(scope.accountId)
      .andWhere('t.bearer_type = :bType AND t.bearer_id = :bId AND t.id = :id', {
        bType: bearer.type,
        bId: bearer.id,
        id,
      })
      .getOne();
  }

  async insert(scope: AccountScope, token: Token): Promise<void> {
    if (token.accountId !== scope.accountId) {
      throw new Error('token account does not match the scope');
    }
    await this.repo.insert({
      id: token.id,
      accountId: token.accountId,
      environmentId: token.environmentId,
      bearerType: token.bearerType,
      bearerId: token.bearerId,
      digest: token.digest,
      kind: token.kind,
      name: token.name,
      expiry: token.expiry,
      permissions: token.permissions,
      maxActivations: token.maxActivations,
      maxDeactivations: token.maxDeactivations,
      activations: token.activations,
      deactivations: token.deactivations,
      createdAt: token.createdAt,
      updatedAt: token.updatedAt,
    });
  }

  /** New digest (regenerate); the old raw value stops working at once. */
  async updateDigest(
    scope: AccountScope,
    id: string,
    patch: Pick<Token, 'digest' | 'kind' | 'expiry' | 'updatedAt'>,
  ): Promise<void> {
    await this.repo.update({ accountId: scope.accountId, id }, patch);
  }

  async delete(scope: AccountScope, id: string): Promise<void> {
    await this.repo.delete({ accountId: scope.accountId, id });
  }
}

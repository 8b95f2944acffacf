import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository, SelectQueryBuilder } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import type { AccountScope } from '@app/common/context/request-context';
import { paginate, whereInScope } from '@app/common/database/scoped-query';
import type { ListResult } from '@app/common/http/render';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import type { EndpointAccess } from './webhook-endpoint.policy';

/** All SQL for webhook endpoints. */
@Injectable()
export class WebhookEndpointsRepository {
  constructor(
    @InjectRepository(WebhookEndpoint) private readonly repo: Repository<WebhookEndpoint>,
  ) {}

  private scoped(scope: AccountScope, access: EndpointAccess): SelectQueryBuilder<WebhookEndpoint> {
    const qb = whereInScope(this.repo.createQueryBuilder('we'), 'we', scope);
    if (access.kind === 'none') {
      qb.andWhere('1 = 0');
    }
    return qb;
  }

  findVisible(
    scope: AccountScope,
    access: EndpointAccess,
    id: string,
  ): Promise<WebhookEndpoint | null> {
    return this.scoped(scope, access).andWhere('we.id = :id', { id }).getOne();
  }

  list(
    scope: AccountScope,
    access: EndpointAccess,
    pagination: Pagination,
  ): Promise<ListResult<WebhookEndpoint>> {
    return paginate(this.scoped(scope, access), 'we', pagination);
  }

  async insert(scope: AccountScope, e: WebhookEndpoint): Promise<void> {
    await this.repo.insert({ ...e, accountId: scope.accountId });
  }

  async update(scope: AccountScope, id: string, patch: Partial<WebhookEndpoint>): Promise<void> {
    await this.repo.update({ accountId: scope.accountId, id }, patch);
  }

  async delete(scope: AccountScope, id: string): Promise<void> {
    await this.repo.delete({ accountId: scope.accountId, id });
  }

  /** An endpoint of the account by id, any environment (jobs). */
  findInAccount(accountId: string, id: string): Promise<WebhookEndpoint | null> {
    return this.repo.findOneBy({ accountId, id });
  }

  /**
   * The endpoints an event of `environmentId` may go to (strictly equal environment:
   * global events only to global endpoints) that subscribe to something.
   */
  listForEnvironment(
    accountId: string,
    environmentId: string | null,
    ids?: readonly string[],
  ): Promise<WebhookEndpoint[]> {
    const qb = this.repo
      .createQueryBuilder('we')
      .where('we.account_id = :accountId', { accountId })
      .andWhere('cardinality(we.subscriptions) > 0');
    if (environmentId === null) {
      qb.andWhere('we.environment_id IS NULL');
    } else {
      qb.andWhere('we.environment_id = :environmentId', { environmentId });
    }
    if (ids) {
      if (ids.length === 0) {
        return Promise.resolve([]);
      }
      qb.andWhere('we.id IN (:...ids)', { ids: [...ids] });
    }
    return qb.getMany();
  }

  /** Whether the account has any endpoint that subscribes to something (fan-out shortcut). */
  async anyActive(accountId: string): Promise<boolean> {
    const row = await this.repo
      .createQueryBuilder('we')
      .select('1')
      .where('we.account_id = :accountId', { accountId })
      .andWhere('cardinality(we.subscriptions) > 0')
      .limit(1)
      .getRawOne();
    return row !== undefined;
  }

  /** The manual-retry fallback: an endpoint with the same URL in the same environment. */
  findByUrl(
    accountId: string,
    environmentId: string | null,
    url: string,
  ): Promise<WebhookEndpoint | null> {
    const qb = this.repo
      .createQueryBuilder('we')
      .where('we.account_id = :accountId', { accountId })
      .andWhere('we.url = :url', { url });
    if (environmentId === null) {
      qb.andWhere('we.environment_id IS NULL');
    } else {
      qb.andWhere('we.environment_id = :environmentId', { environmentId });
    }
    return qb.orderBy('we.created_at', 'ASC').limit(1).getOne();
  }

  /** compat: Keygen's `disable!` saves `subscriptions: []` without validation or touching `updated`. */
  async disable(accountId: string, id: string): Promise<void> {
    await this.repo.update({ accountId, id }, { subscriptions: [] });
  }
}

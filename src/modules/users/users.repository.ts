import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { AccountScope } from '@app/common/context/request-context';
import { whereInScope } from '@app/common/database/scoped-query';
import { User } from './user.entity';

/**
 * All SQL for users. Every method takes the AccountScope first; lookups by id
 * are visible-in-scope lookups (spec 01 §3.3).
 */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(User) private readonly repo: Repository<User>) {}

  /** For list queries and custom filters; never leaves this module's repositories. */
  scoped(scope: AccountScope, m?: EntityManager) {
    const qb = (m ? m.getRepository(User) : this.repo).createQueryBuilder('u');
    return whereInScope(qb, 'u', scope);
  }

  findById(scope: AccountScope, id: string, m?: EntityManager): Promise<User | null> {
    return this.scoped(scope, m).andWhere('u.id = :id', { id }).getOne();
  }

  /** Email lookups are on the stored (trimmed, lower-cased) address. */
  findByEmail(scope: AccountScope, email: string, m?: EntityManager): Promise<User | null> {
    return this.scoped(scope, m).andWhere('u.email = :email', { email: email.trim().toLowerCase() }).getOne();
  }

  /**
   * Password login candidates (spec 01 §1.5): a user visible in the scope, or any
   * global admin of the account.
   */
  findForLogin(scope: AccountScope, email: string): Promise<User | null> {
    const qb = this.repo
      .createQueryBuilder('u')
      .where('u.account_id = :accountId', { accountId: scope.accountId })
      .andWhere('u.email = :email', { email: email.trim().toLowerCase() });
    if (scope.environmentId === null) {
      qb.andWhere("(u.environment_id IS NULL)");
    } else if (scope.shared) {
      qb.andWhere("(u.environment_id = :env OR u.environment_id IS NULL)", { env: scope.environmentId });
    } else {
      qb.andWhere("(u.environment_id = :env OR (u.environment_id IS NULL AND u.role = 'admin'))", {
        env: scope.environmentId,
      });
    }
    return qb.getOne();
  }
}

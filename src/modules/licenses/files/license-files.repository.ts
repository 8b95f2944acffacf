import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { AccountScope } from '@app/common/context/request-context';
import { Entitlement } from '@app/modules/entitlements/entitlement.entity';
import { Environment } from '@app/modules/environments/environment.entity';
import { Group } from '@app/modules/groups/group.entity';
import { Product } from '@app/modules/products/product.entity';
import { User } from '@app/modules/users/user.entity';
import { License } from '../license.entity';

/**
 * A license's effective entitlements: the policy's ∪ the license's own (spec 02 §10.4),
 * oldest first. Shared by license files and machine files (`license.entitlements`).
 */
export function effectiveEntitlements(
  manager: EntityManager,
  l: Pick<License, 'id' | 'policyId'>,
): Promise<Entitlement[]> {
  return manager
    .getRepository(Entitlement)
    .createQueryBuilder('e')
    .where(
      `e.id IN (SELECT pe.entitlement_id FROM policy_entitlements pe WHERE pe.policy_id = :policyId
                UNION
                SELECT le.entitlement_id FROM license_entitlements le WHERE le.license_id = :licenseId)`,
      { policyId: l.policyId, licenseId: l.id },
    )
    .orderBy('e.createdAt', 'ASC')
    .addOrderBy('e.id', 'ASC')
    .getMany();
}

/**
 * A license's `users`: its owner (first), then its licensees in attachment order.
 * Shared by license files and machine files (`license.users`).
 */
export async function licenseUsers(
  manager: EntityManager,
  l: Pick<License, 'id' | 'accountId' | 'ownerId'>,
): Promise<User[]> {
  const users = manager.getRepository(User);
  const licensees = await users
    .createQueryBuilder('u')
    .innerJoin('license_users', 'lu', 'lu.user_id = u.id')
    .where('lu.license_id = :licenseId AND u.account_id = :accountId', {
      licenseId: l.id,
      accountId: l.accountId,
    })
    .orderBy('lu.created_at', 'ASC')
    .addOrderBy('lu.id', 'ASC')
    .getMany();
  const owner = l.ownerId ? await users.findOneBy({ accountId: l.accountId, id: l.ownerId }) : null;
  return owner ? [owner, ...licensees.filter((u) => u.id !== owner.id)] : licensees;
}

/** Reads for a license file's includes, and the check-out touch. */
@Injectable()
export class LicenseFilesRepository {
  constructor(@InjectRepository(License) private readonly repo: Repository<License>) {}

  /** Effective entitlements: the policy's ∪ the license's own (spec 02 §10.4), oldest first. */
  entitlements(l: Pick<License, 'id' | 'policyId'>): Promise<Entitlement[]> {
    return effectiveEntitlements(this.repo.manager, l);
  }

  environment(accountId: string, id: string): Promise<Environment | null> {
    return this.repo.manager.getRepository(Environment).findOneBy({ accountId, id });
  }

  product(accountId: string, id: string): Promise<Product | null> {
    return this.repo.manager.getRepository(Product).findOneBy({ accountId, id });
  }

  group(accountId: string, id: string): Promise<Group | null> {
    return this.repo.manager.getRepository(Group).findOneBy({ accountId, id });
  }

  owner(accountId: string, id: string): Promise<User | null> {
    return this.repo.manager.getRepository(User).findOneBy({ accountId, id });
  }

  /** The owner (first) and the licensees in attachment order (the `users` relationship). */
  users(l: Pick<License, 'id' | 'accountId' | 'ownerId'>): Promise<User[]> {
    return licenseUsers(this.repo.manager, l);
  }

  /** Keygen's `touch(:last_check_out_at)`: the timestamp and `updated_at`. */
  async touchCheckOut(scope: AccountScope, id: string, at: Date): Promise<void> {
    await this.repo.update(
      { accountId: scope.accountId, id },
      { lastCheckOutAt: at, updatedAt: at },
    );
  }
}

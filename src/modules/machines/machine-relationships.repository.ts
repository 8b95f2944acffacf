import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Entitlement } from '@app/modules/entitlements/entitlement.entity';
import { Environment } from '@app/modules/environments/environment.entity';
import { Group } from '@app/modules/groups/group.entity';
import {
  effectiveEntitlements,
  licenseUsers,
} from '@app/modules/licenses/files/license-files.repository';
import { License } from '@app/modules/licenses/license.entity';
import { Product } from '@app/modules/products/product.entity';
import { User } from '@app/modules/users/user.entity';
import type { ComponentView } from './machine-component.serializer';
import { MachineComponent } from './machine.entity';

/** Reads of the records a machine points at (relationship routes), by id in the account. */
@Injectable()
export class MachineRelationshipsRepository {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  product(accountId: string, id: string): Promise<Product | null> {
    return this.users.manager.getRepository(Product).findOneBy({ accountId, id });
  }

  license(accountId: string, id: string): Promise<License | null> {
    return this.users.manager.getRepository(License).findOneBy({ accountId, id });
  }

  user(accountId: string, id: string): Promise<User | null> {
    return this.users.findOneBy({ accountId, id });
  }

  group(accountId: string, id: string): Promise<Group | null> {
    return this.users.manager.getRepository(Group).findOneBy({ accountId, id });
  }

  environment(accountId: string, id: string): Promise<Environment | null> {
    return this.users.manager.getRepository(Environment).findOneBy({ accountId, id });
  }

  /** A license's effective entitlements (the policy's ∪ its own), as license files read them. */
  entitlements(l: Pick<License, 'id' | 'policyId'>): Promise<Entitlement[]> {
    return effectiveEntitlements(this.users.manager, l);
  }

  /** The license's owner (first) and its licensees, as license files read them. */
  licenseUsers(l: Pick<License, 'id' | 'accountId' | 'ownerId'>): Promise<User[]> {
    return licenseUsers(this.users.manager, l);
  }

  /** A machine's components, oldest first, with the license and product they hang under. */
  async components(m: {
    id: string;
    licenseId: string;
    productId: string;
  }): Promise<ComponentView[]> {
    const rows = await this.users.manager
      .getRepository(MachineComponent)
      .createQueryBuilder('c')
      .where('c.machine_id = :machineId', { machineId: m.id })
      .orderBy('c.createdAt', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .getMany();
    return rows.map((c) => Object.assign(c, { licenseId: m.licenseId, productId: m.productId }));
  }

  /** The groups a user belongs to or owns. */
  async groupsOf(accountId: string, userId: string): Promise<string[]> {
    const rows = (await this.users.query(
      `SELECT group_id FROM users WHERE account_id = $1 AND id = $2 AND group_id IS NOT NULL
       UNION SELECT group_id FROM group_owners WHERE account_id = $1 AND user_id = $2`,
      [accountId, userId],
    )) as Array<{ group_id: string }>;
    return rows.map((r) => r.group_id);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { License, LicenseUser } from '@app/modules/licenses/license.entity';
import { Machine } from '@app/modules/machines/machine.entity';
import { Policy } from '@app/modules/policies/policy.entity';
import { Product } from '@app/modules/products/product.entity';
import type { ProductReadLookups } from './webhook-product-scope';

/**
 * Read-only lookups the fan-out needs about other modules' records (a product's
 * permissions, the product behind a policy, machine or license). NOTE: reads other
 * modules' tables directly because webhooks sit below every module and resource
 * modules never import webhooks.
 */
@Injectable()
export class WebhookLookupsRepository implements ProductReadLookups {
  constructor(
    @InjectRepository(Product) private readonly products: Repository<Product>,
    @InjectRepository(Policy) private readonly policies: Repository<Policy>,
    @InjectRepository(Machine) private readonly machines: Repository<Machine>,
    @InjectRepository(License) private readonly licenses: Repository<License>,
    @InjectRepository(LicenseUser) private readonly licenseUsers: Repository<LicenseUser>,
  ) {}

  async product(
    accountId: string,
    id: string,
  ): Promise<{ id: string; permissions: string[] } | null> {
    const row = await this.products.findOne({
      where: { accountId, id },
      select: ['id', 'permissions'],
    });
    return row ? { id: row.id, permissions: row.permissions ?? [] } : null;
  }

  async policyProductId(policyId: string): Promise<string | null> {
    return (
      (await this.policies.findOne({ where: { id: policyId }, select: ['productId'] }))
        ?.productId ?? null
    );
  }

  async machineProductId(machineId: string): Promise<string | null> {
    return (
      (await this.machines.findOne({ where: { id: machineId }, select: ['productId'] }))
        ?.productId ?? null
    );
  }

  async licenseProductId(licenseId: string): Promise<string | null> {
    return (
      (await this.licenses.findOne({ where: { id: licenseId }, select: ['productId'] }))
        ?.productId ?? null
    );
  }

  async userHoldsProduct(userId: string, productId: string): Promise<boolean> {
    const owned = await this.licenses.exists({ where: { ownerId: userId, productId } });
    if (owned) {
      return true;
    }
    const count = await this.licenseUsers
      .createQueryBuilder('lu')
      .innerJoin(License, 'l', 'l.id = lu.license_id')
      .where('lu.user_id = :userId', { userId })
      .andWhere('l.product_id = :productId', { productId })
      .getCount();
    return count > 0;
  }
}

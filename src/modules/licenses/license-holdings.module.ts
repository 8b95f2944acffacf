import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LicenseHoldings } from '@app/common/licensing/holdings';
import { License } from './license.entity';
import { LicenseHoldingsRepository } from './license-holdings.repository';

/**
 * Makes LicenseHoldings injectable everywhere, so products, policies, entitlements
 * and tokens (all below licenses) can ask what a bearer holds without importing
 * LicensesModule. Imported once, by LicensesModule.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([License])],
  providers: [{ provide: LicenseHoldings, useClass: LicenseHoldingsRepository }],
  exports: [LicenseHoldings],
})
export class LicenseHoldingsModule {}

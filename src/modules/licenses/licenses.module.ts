import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LicenseKeyAuthenticator } from '@app/common/auth/ports';
import { Policy } from '@app/modules/policies/policy.entity';
import { User } from '@app/modules/users/user.entity';
import { License, LicenseEntitlement, LicenseUser } from './license.entity';
import { LicenseLookup } from './license-lookup.service';
import { AccountsModule } from '@app/modules/accounts/accounts.module';
import { KeysModule } from '@app/modules/keys/keys.module';
import { PoliciesModule } from '@app/modules/policies/policies.module';
import { ProductsModule } from '@app/modules/products/products.module';
import { LicenseCreateService } from './license-create.service';
import { LicenseHoldingsModule } from './license-holdings.module';
import { LicenseKeyGenerator } from './license-key-generator';
import { LicenseRecordsRepository } from './license-records.repository';
import { LicensesController } from './licenses.controller';
import { LicensesService } from './licenses.service';
import { PolicyLicensesController } from './policy-licenses.controller';
import { ProductLicensesController } from './product-licenses.controller';
import './license.versioning';
import { LicensesRepository } from './licenses.repository';
import { LicenseBearerLoader } from './auth/license-bearer.loader';
import { LicenseBearerViews } from './auth/license-bearer-views.service';
import { LicenseBearersRepository } from './auth/license-bearers.repository';
import { LicenseKeyAuthenticatorImpl } from './auth/license-key.authenticator';
import { TokensModule } from '@app/modules/tokens/tokens.module';
import { GroupsModule } from '@app/modules/groups/groups.module';
import { UsersModule } from '@app/modules/users/users.module';
import { GroupLicensesController } from './nested/group-licenses.controller';
import { GroupLicensesService } from './nested/group-licenses.service';
import { LicenseHoldersRepository } from './nested/license-holders.repository';
import { ProductUsersController } from './nested/product-users.controller';
import { ProductUsersService } from './nested/product-users.service';
import { UserLicensesController } from './nested/user-licenses.controller';
import { UserLicensesService } from './nested/user-licenses.service';
import { UserProductsController } from './nested/user-products.controller';
import { LicenseEntitlementsController } from './relationships/license-entitlements.controller';
import { LicenseEntitlementsRepository } from './relationships/license-entitlements.repository';
import { LicenseEntitlementsService } from './relationships/license-entitlements.service';
import { LicenseGroupController } from './relationships/license-group.controller';
import { LicenseGroupService } from './relationships/license-group.service';
import { LicenseOwnerController } from './relationships/license-owner.controller';
import { LicenseOwnerService } from './relationships/license-owner.service';
import { LicensePolicyController } from './relationships/license-policy.controller';
import { LicensePolicyService } from './relationships/license-policy.service';
import { LicenseProductController } from './relationships/license-product.controller';
import { LicenseRelationshipsRepository } from './relationships/license-relationships.repository';
import { LicenseUserController } from './relationships/license-user.controller';
import { LicenseUsersController } from './relationships/license-users.controller';
import { LicenseUsersRepository } from './relationships/license-users.repository';
import { LicenseUsersService } from './relationships/license-users.service';
import { LicenseTokensController } from './tokens/license-tokens.controller';
import { LicenseTokensService } from './tokens/license-tokens.service';
import { NoReleases, ReleaseLookup } from './validation/release-lookup';
import { ValidationFactsLoader } from './validation/validation-facts';
import { ValidationPolicyCache } from './validation/validation-policy.cache';
import { ValidationReadRepository } from './validation/validation-read.repository';
import { ValidationTouchWriter } from './validation/validation-touch';
import { LicenseValidationService } from './validation/validation.service';
import { ValidationsController } from './validation/validations.controller';
import { LicenseActionsController } from './actions/license-actions.controller';
import { LicenseActionsRepository } from './actions/license-actions.repository';
import { LicensePermitsService } from './actions/license-permits.service';
import { LicenseUsageService } from './actions/license-usage.service';
import { LicenseCheckoutService } from './files/license-checkout.service';
import { LicenseFilesController } from './files/license-files.controller';
import { LicenseFilesRepository } from './files/license-files.repository';
import { LicenseEventSweepsRepository } from './jobs/license-event-sweeps.repository';
import { LicenseScheduledEventsJob } from './jobs/license-scheduled-events.job';
import { LicenseScheduledEvents } from './jobs/license-scheduled-events.service';

/**
 * Licenses (spec 02 §4–§9). Controllers and providers are listed one per line so
 * the parts (CRUD, relationships, validation, actions, files) can be added independently.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([License, LicenseUser, LicenseEntitlement, Policy, User]),
    AccountsModule,
    ProductsModule,
    PoliciesModule,
    KeysModule,
    LicenseHoldingsModule,
    TokensModule,
    UsersModule,
    GroupsModule,
  ],
  controllers: [
    ValidationsController,
    LicensesController,
    ProductLicensesController,
    PolicyLicensesController,
    LicenseActionsController,
    LicenseFilesController,
    LicensePolicyController,
    LicenseProductController,
    LicenseOwnerController,
    LicenseUserController,
    LicenseGroupController,
    LicenseUsersController,
    LicenseEntitlementsController,
    LicenseTokensController,
    UserLicensesController,
    UserProductsController,
    GroupLicensesController,
    ProductUsersController,
    // controllers
  ],
  providers: [
    LicensesRepository,
    LicenseLookup,
    LicenseRecordsRepository,
    LicenseKeyGenerator,
    LicenseCreateService,
    LicensesService,
    LicenseBearersRepository,
    LicenseKeyAuthenticatorImpl,
    { provide: LicenseKeyAuthenticator, useExisting: LicenseKeyAuthenticatorImpl },
    LicenseBearerLoader,
    LicenseBearerViews,
    ValidationReadRepository,
    ValidationPolicyCache,
    ValidationFactsLoader,
    ValidationTouchWriter,
    { provide: ReleaseLookup, useClass: NoReleases },
    LicenseValidationService,
    LicenseActionsRepository,
    LicensePermitsService,
    LicenseUsageService,
    LicenseFilesRepository,
    LicenseCheckoutService,
    LicenseEventSweepsRepository,
    LicenseScheduledEvents,
    LicenseScheduledEventsJob,
    LicenseRelationshipsRepository,
    LicenseUsersRepository,
    LicenseEntitlementsRepository,
    LicensePolicyService,
    LicenseOwnerService,
    LicenseGroupService,
    LicenseUsersService,
    LicenseEntitlementsService,
    LicenseTokensService,
    LicenseHoldersRepository,
    UserLicensesService,
    GroupLicensesService,
    ProductUsersService,
    // providers
  ],
  exports: [
    LicensesService,
    LicensesRepository,
    LicenseLookup,
    LicenseKeyAuthenticator,
    LicenseBearerViews,
  ],
})
export class LicensesModule {}

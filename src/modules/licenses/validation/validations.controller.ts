import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Authorize, Ctx, Public } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { DeferredParams, Params, type ParamsThunk } from '@app/common/http/params.decorator';
import { Render, type Rendered } from '@app/common/http/render';
import { LicenseSerializer } from '../license.serializer';
import type { LicenseView } from '../license.view';
import {
  ValidateByIdParams,
  ValidateKeyParams,
  type ValidateByIdBody,
  type ValidateKeyBody,
} from './validation.params';
import { LicenseValidationService } from './validation.service';
import './validation.versioning';

/**
 * License validation routes (spec 02 §6.1). compat: every outcome is 200 with
 * `meta.valid`/`meta.code`, including an unknown key on validate-key (data null).
 * By id, Keygen finds the license in the bearer's scope (404) and checks the
 * validate rule, `license.validate` included (403), before it reads the body (400).
 */
@Controller('v1/accounts/:account/licenses')
export class ValidationsController {
  constructor(private readonly validations: LicenseValidationService) {}

  @Get(':id/actions/validate')
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  quickValidate(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
  ): Promise<Rendered<LicenseView>> {
    return this.validations.quickValidate(ctx, id);
  }

  @Post(':id/actions/validate')
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  validate(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @DeferredParams(ValidateByIdParams) params: ParamsThunk<ValidateByIdBody>,
  ): Promise<Rendered<LicenseView>> {
    return this.validations.validateById(ctx, id, params);
  }

  @Post('actions/validate-key')
  @HttpCode(200)
  @Public({ optionalAuth: true })
  @Render(LicenseSerializer)
  validateKey(
    @Ctx() ctx: RequestContext,
    @Params(ValidateKeyParams) body: ValidateKeyBody,
  ): Promise<Rendered<LicenseView>> {
    return this.validations.validateKey(ctx, body);
  }
}

import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { jsonApiEnvelope, p, type Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import type { RequestContext } from '@app/common/context/request-context';
import { Paginate, Params } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import type { SecondFactor } from './second-factor.entity';
import { SecondFactorSerializer } from './second-factor.serializer';
import { SecondFactorsService, type CreateSecondFactorMeta } from './second-factors.service';

/** compat: Keygen accepts every spelling of the type. */
const TYPES = [
  'second-factor',
  'second-factors',
  'secondFactor',
  'secondFactors',
  'second_factor',
  'second_factors',
];

const CreateSecondFactorParams = jsonApiEnvelope({
  type: TYPES,
  dataOptional: true,
  meta: p.object(
    {
      password: p.string({ optional: true }),
      otp: p.string({ optional: true }),
    },
    { optional: false },
  ),
});

const UpdateSecondFactorParams = jsonApiEnvelope({
  type: TYPES,
  id: p.string({ optional: true }),
  attributes: p.object({ enabled: p.boolean() }, { optional: false }),
  meta: p.object({ otp: p.string() }, { optional: false }),
});

const DestroySecondFactorParams = p.object({
  meta: p.object({ otp: p.string() }, { optional: true }),
});

@Controller('v1/accounts/:account/users/:user/second-factors')
export class SecondFactorsController {
  constructor(private readonly secondFactors: SecondFactorsService) {}

  @Get()
  @Authorize(CHECKED_BY_POLICY)
  @Render(SecondFactorSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Param('user') user: string,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<SecondFactor>> {
    return this.secondFactors.index(ctx, user, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(SecondFactorSerializer)
  show(
    @Ctx() ctx: RequestContext,
    @Param('user') user: string,
    @Param('id') id: string,
  ): Promise<SecondFactor> {
    return this.secondFactors.show(ctx, user, id);
  }

  @Post()
  @Authorize(CHECKED_BY_POLICY)
  @Render(SecondFactorSerializer)
  create(
    @Ctx() ctx: RequestContext,
    @Param('user') user: string,
    @Params(CreateSecondFactorParams) body: { meta: CreateSecondFactorMeta },
  ): Promise<SecondFactor> {
    return this.secondFactors.create(ctx, user, body.meta);
  }

  @Patch(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(SecondFactorSerializer)
  update(
    @Ctx() ctx: RequestContext,
    @Param('user') user: string,
    @Param('id') id: string,
    @Params(UpdateSecondFactorParams)
    body: { data: { attributes: { enabled: boolean } }; meta: { otp: string } },
  ): Promise<SecondFactor> {
    return this.secondFactors.update(ctx, user, id, body.data.attributes.enabled, body.meta.otp);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorize(CHECKED_BY_POLICY)
  destroy(
    @Ctx() ctx: RequestContext,
    @Param('user') user: string,
    @Param('id') id: string,
    @Params(DestroySecondFactorParams) body: { meta?: { otp: string } },
  ): Promise<void> {
    return this.secondFactors.destroy(ctx, user, id, body.meta?.otp);
  }
}

import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { jsonApiEnvelope, p, type Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import type { RequestContext } from '@app/common/context/request-context';
import { Paginate, Params } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import type { Environment } from './environment.entity';
import { EnvironmentSerializer } from './environment.serializer';
import {
  EnvironmentsService,
  type CreateEnvironment,
  type EmbeddedAdmin,
  type UpdateEnvironment,
} from './environments.service';

const optionalText = { optional: true, nullable: true, allowBlank: true } as const;

const CreateEnvironmentParams = jsonApiEnvelope({
  type: ['environment', 'environments'],
  attributes: p.object(
    {
      name: p.string(),
      code: p.string(),
      isolation_strategy: p.string({ optional: true }),
    },
    { optional: false },
  ),
  relationships: p.object({
    admins: p.object({
      data: p.array(
        p.object({
          type: p.string({ inclusion: ['user', 'users'] }),
          attributes: p.object({
            email: p.string(),
            password: p.string(optionalText),
            first_name: p.string(optionalText),
            last_name: p.string(optionalText),
            metadata: p.hash({ optional: true, allowBlank: true, depth: 2 }),
            // compat: accepted only as "admin" and otherwise ignored (founders are admins).
            role: p.string({ optional: true, inclusion: ['admin'], transform: () => undefined }),
          }),
        }),
      ),
    }),
  }),
});

const UpdateEnvironmentParams = jsonApiEnvelope({
  type: ['environment', 'environments'],
  id: p.string({ optional: true }),
  attributes: p.object(
    {
      name: p.string({ optional: true }),
      code: p.string({ optional: true }),
    },
    { optional: false },
  ),
});

interface CreateEnvironmentBody {
  data: {
    attributes: CreateEnvironment;
    relationships?: { admins: { data: Array<{ attributes: EmbeddedAdmin }> } };
  };
}

interface UpdateEnvironmentBody {
  data: { attributes: UpdateEnvironment };
}

@Controller('v1/accounts/:account/environments')
export class EnvironmentsController {
  constructor(private readonly environments: EnvironmentsService) {}

  @Get()
  @Authorize('environment.read')
  @Render(EnvironmentSerializer)
  index(
    @Ctx() ctx: RequestContext,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<Environment>> {
    return this.environments.index(ctx, pagination);
  }

  @Get(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(EnvironmentSerializer)
  show(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<Environment> {
    return this.environments.show(ctx, id);
  }

  @Post()
  @Authorize(CHECKED_BY_POLICY)
  @Render(EnvironmentSerializer)
  create(
    @Ctx() ctx: RequestContext,
    @Params(CreateEnvironmentParams) body: CreateEnvironmentBody,
  ): Promise<Environment> {
    const admins = body.data.relationships?.admins.data.map((a) => a.attributes) ?? [];
    return this.environments.create(ctx, body.data.attributes, admins);
  }

  @Patch(':id')
  @Authorize(CHECKED_BY_POLICY)
  @Render(EnvironmentSerializer)
  update(
    @Ctx() ctx: RequestContext,
    @Param('id') id: string,
    @Params(UpdateEnvironmentParams) body: UpdateEnvironmentBody,
  ): Promise<Environment> {
    return this.environments.update(ctx, id, body.data.attributes);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authorize(CHECKED_BY_POLICY)
  destroy(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    return this.environments.destroy(ctx, id);
  }
}

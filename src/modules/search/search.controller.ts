import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { Authorize, Ctx } from '@app/common/auth/decorators';
import { CHECKED_BY_POLICY } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { Paginate } from '@app/common/http/params.decorator';
import { Render, type ListResult } from '@app/common/http/render';
import { LicenseSerializer } from '@app/modules/licenses/license.serializer';
import { SearchService } from './search.service';

/**
 * `POST /search` (spec 00 §5.6). Not request-logged (the recorder skips the `search`
 * family). The declared serializer is only the route's default: every result names the
 * serializer of the type it searched (ListResult.serializer), which wins.
 */
@Controller('v1/accounts/:account/search')
export class SearchController {
  constructor(private readonly searches: SearchService) {}

  @Post()
  @HttpCode(200)
  @Authorize(CHECKED_BY_POLICY)
  @Render(LicenseSerializer)
  search(
    @Ctx() ctx: RequestContext,
    @Body() body: unknown,
    @Paginate() pagination: Pagination,
  ): Promise<ListResult<unknown>> {
    return this.searches.search(ctx, body, pagination);
  }
}

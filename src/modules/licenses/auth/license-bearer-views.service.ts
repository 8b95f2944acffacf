import { Injectable } from '@nestjs/common';
import type { Bearer } from '@app/common/auth/bearer';
import type { RequestContext } from '@app/common/context/request-context';
import type { License } from '../license.entity';
import type { LicenseView } from '../license.view';
import { LicensesRepository } from '../licenses.repository';

/**
 * Renders a license bearer as its own resource (`GET /me`, `/profile`): the bearer
 * record carries the row, policy and owner; the view adds the counts the serializer
 * shows, read only when a license is rendered.
 */
@Injectable()
export class LicenseBearerViews {
  constructor(private readonly repo: LicensesRepository) {}

  view(ctx: RequestContext, bearer: Bearer): Promise<LicenseView> {
    return this.repo.view(bearer.record as License, ctx.clock.now());
  }
}

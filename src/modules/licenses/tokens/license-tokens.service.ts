import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { ListResult } from '@app/common/http/render';
import { BearerTokensService } from '@app/modules/tokens/bearer-tokens.service';
import type { GenerateTokenBody } from '@app/modules/tokens/dto/generate-token.dto';
import type { TokenView } from '@app/modules/tokens/token.entity';
import { licenseBearer, licenseBearerRecord } from '../auth/license-bearer';
import { LicenseLookup } from '../license-lookup.service';
import { licensePolicy, related } from '../license.policy';

/**
 * `/licenses/{id|key}/tokens[/{tid}]` (spec 01 §6.1, 02 §4.1): license ("activation")
 * tokens. The license is looked up in the caller's scope first (404); the token
 * work is the tokens module's.
 */
@Injectable()
export class LicenseTokensService {
  constructor(
    private readonly lookup: LicenseLookup,
    private readonly tokens: BearerTokensService,
  ) {}

  async index(
    ctx: RequestContext,
    idOrKey: string,
    pagination: Pagination,
  ): Promise<ListResult<TokenView>> {
    const { view, facts, caller } = await this.lookup.find(ctx, idOrKey);
    const page = await this.tokens.list(ctx, { type: 'licenses', id: view.id }, pagination);
    enforce(licensePolicy.readTokens(caller, facts, related.many(page.rows)));
    return page;
  }

  async show(ctx: RequestContext, idOrKey: string, tokenId: string): Promise<TokenView> {
    const { view, facts, caller } = await this.lookup.find(ctx, idOrKey);
    const token = await this.tokens.find(ctx, { type: 'licenses', id: view.id }, tokenId);
    enforce(licensePolicy.readTokens(caller, facts, related.one(token)));
    return token;
  }

  /**
   * compat: answers 200, not 201. Lookup (404) → params (400) → the token is built
   * → authorize against it (403; it must live in the current environment) →
   * validation (422) → save, `token.generated`.
   */
  async create(
    ctx: RequestContext,
    idOrKey: string,
    params: ParamsThunk<GenerateTokenBody>,
  ): Promise<TokenView> {
    const { view, facts, caller } = await this.lookup.find(ctx, idOrKey);
    const body = params();
    const bearer = licenseBearer(licenseBearerRecord(view, view.policy, view.owner));
    const draft = this.tokens.draft(ctx, bearer, { type: 'licenses', id: view.id }, body);
    enforce(licensePolicy.generateToken(caller, facts, related.one(draft.token)));
    return this.tokens.persist(ctx, draft);
  }
}

import { Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { parseAcceptSignature } from '@libs/crypto';
import { jsonApiEnvelope, p } from '@libs/jsonapi';
import { Public } from '@app/common/auth/decorators';
import type { ResolvedAccount } from '@app/common/context/request-context';
import type { KeywardRequest } from '@app/common/http/http-state';
import { Params } from '@app/common/http/params.decorator';
import { Render } from '@app/common/http/render';
import type { Account } from '@app/modules/accounts/account.entity';
import { AccountSerializer } from '@app/modules/accounts/account.serializer';
import { MultiplayerOnlyGuard } from './multiplayer-only.guard';
import { SignupService, type FounderInput } from './signup.service';

/** Embedded founding users (spec 00 §3.3.5): full resources inside the relationship. */
const FounderParams = p.object({
  type: p.string({ inclusion: ['user', 'users'] }),
  attributes: p.object({
    email: p.string(),
    password: p.string({ optional: true, nullable: true, allowBlank: true }),
    first_name: p.string({ optional: true, nullable: true, allowBlank: true }),
    last_name: p.string({ optional: true, nullable: true, allowBlank: true }),
    metadata: p.hash({ depth: 2, allowBlank: true, optional: true }),
    // compat: accepted but a no-op; founders are always admins.
    role: p.string({ optional: true, inclusion: ['admin'], transform: () => undefined }),
  }),
});

const CreateAccountParams = jsonApiEnvelope({
  type: ['account', 'accounts'],
  attributes: p.object({
    name: p.string({ optional: true }),
    slug: p.string({ optional: true }),
    protected: p.boolean({ optional: true }),
  }),
  relationships: p.object(
    {
      // Deviation (spec 01 §4.2): Keygen requires a plan; we accept and ignore it.
      plan: p.object(
        { data: p.object({ type: p.string({ inclusion: ['plan', 'plans'] }), id: p.uuid() }) },
        { optional: true },
      ),
      admins: p.object({ data: p.array(FounderParams) }),
    },
    { optional: false },
  ),
  meta: p.object({ referral: p.string({ optional: true }) }),
});

interface CreateAccountBody {
  data: {
    attributes?: { name?: string; slug?: string; protected?: boolean };
    relationships: { admins: { data: Array<{ attributes: FounderInput }> } };
  };
}

/**
 * `POST /v1/accounts` (multiplayer only): anonymous sign-up. There is no account on the
 * request, so the response is attached to the new account for signing (see `respondAs`).
 */
@Controller('v1/accounts')
export class SignupController {
  constructor(private readonly signup: SignupService) {}

  @Post()
  @HttpCode(201)
  @Public({ global: true })
  @UseGuards(MultiplayerOnlyGuard)
  @Render(AccountSerializer)
  async create(
    @Req() req: KeywardRequest,
    @Params(CreateAccountParams) body: CreateAccountBody,
  ): Promise<Account> {
    const attrs = body.data.attributes ?? {};
    const { account, resolved } = await this.signup.signUp({
      name: attrs.name,
      slug: attrs.slug,
      protected: attrs.protected,
      // The account pins the version the request used (header, else current).
      apiVersion: req.keyward.apiVersion,
      admins: body.data.relationships.admins.data.map((a) => a.attributes),
    });
    respondAs(req, resolved);
    return account;
  }
}

/**
 * Global routes resolve no account, so nothing would sign the response. Sign-up answers
 * on behalf of the account it just created: setting it here makes the response finalizer
 * sign with the new account's keys (and report it in `Keygen-Account`), honouring a
 * well-formed Keygen-Accept-Signature; a malformed one cannot be rejected any more (the
 * account exists), so it falls back to the default algorithm.
 */
function respondAs(req: KeywardRequest, account: ResolvedAccount): void {
  req.keyward.account = account;
  const accept = parseAcceptSignature(req.headers['keygen-accept-signature'] as string | undefined);
  req.keyward.signatureAlgorithm = accept.ok ? accept.algorithm : 'ed25519';
}

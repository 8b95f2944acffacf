import { Injectable } from '@nestjs/common';
import { validateParams } from '@libs/jsonapi';
import { addDuration, encodeCertificate } from '@libs/licensing';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { ParamError } from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import { uuidv4 } from '@app/common/ids';
import { LicenseLookup } from '../license-lookup.service';
import { licensePolicy } from '../license.policy';
import type { LicenseView } from '../license.view';
import { LICENSE_EVENTS, emitLicenseEvent } from '../actions/license-events';
import { resolveCheckoutOptions, type CheckoutOptions } from './checkout-options';
import {
  CheckoutQueryParams,
  type CheckoutBody,
  type CheckoutOptionsInput,
} from './dto/checkout.params';
import { CheckoutTtlTooLargeError } from './license-file.errors';
import { licenseFileDocument, type LicenseFileIncludes } from './license-file.document';
import { licenseFilePolicy } from './license-file.policy';
import type { LicenseFile } from './license-file.serializer';
import { LicenseFilesRepository } from './license-files.repository';

/**
 * License check-out (spec 02 §9): a signed, optionally encrypted certificate of the
 * license document. Order as in Keygen: find (404), typed options (400), the check-out
 * rule (403), option rules (400 CHECKOUT_*), read rights on what the file carries
 * (403); then build, touch lastCheckOut and emit `license.checked-out`.
 */
@Injectable()
export class LicenseCheckoutService {
  constructor(
    private readonly lookup: LicenseLookup,
    private readonly files: LicenseFilesRepository,
    private readonly events: DomainEvents,
  ) {}

  /** `body` only for POST, whose `meta` options override the query's. */
  async checkout(
    ctx: RequestContext,
    id: string,
    query: Record<string, unknown>,
    body?: ParamsThunk<CheckoutBody>,
  ): Promise<LicenseFile> {
    const found = await this.lookup.find(ctx, id);
    const input: CheckoutOptionsInput = { ...queryOptions(query), ...(body?.().meta ?? {}) };
    enforce(licensePolicy.checkOut(found.caller, found.facts));
    const options = resolveCheckoutOptions(input, found.view.policy.scheme);
    enforce(licenseFilePolicy.show(found.caller, found.facts, options.includes));

    const file = await this.build(ctx, found.view, options);
    await this.files.touchCheckOut(ctx.scope, found.view.id, file.issued);
    emitLicenseEvent(this.events, LICENSE_EVENTS.checkedOut, ctx, found.view);
    return file;
  }

  private async build(
    ctx: RequestContext,
    view: LicenseView,
    options: CheckoutOptions,
  ): Promise<LicenseFile> {
    const issued = ctx.clock.now();
    const expiry = options.ttl === null ? null : addDuration(issued, options.ttl);
    if (expiry !== null && Number.isNaN(expiry.getTime())) {
      throw new CheckoutTtlTooLargeError();
    }
    const payload = licenseFileDocument(
      view,
      options.includes,
      await this.includes(view, options),
      { issued, expiry, ttl: options.ttl },
      ctx.apiVersion,
    );
    const certificate = encodeCertificate('license', JSON.stringify(payload), {
      enc: options.enc,
      sig: options.sig,
      // compat: Keygen encrypts with the stored key; a legacy-encrypted license keeps only its digest.
      secret: view.key ?? view.keyDigest ?? '',
      sign: (data) => ctx.account.signer.sign(options.sig, data),
    });
    return {
      id: uuidv4(),
      accountId: view.accountId,
      environmentId: ctx.environment?.id ?? null,
      licenseId: view.id,
      certificate,
      algorithm: options.algorithm,
      includes: options.includes,
      ttl: options.ttl,
      expiry,
      issued,
    };
  }

  private async includes(
    view: LicenseView,
    options: CheckoutOptions,
  ): Promise<LicenseFileIncludes> {
    const out: LicenseFileIncludes = {};
    const a = view.accountId;
    for (const name of options.includes) {
      switch (name) {
        case 'entitlements':
          out.entitlements = await this.files.entitlements(view);
          break;
        case 'environment':
          out.environment = view.environmentId
            ? await this.files.environment(a, view.environmentId)
            : null;
          break;
        case 'product':
          out.product = await this.files.product(a, view.productId);
          break;
        case 'group':
          out.group = view.groupId ? await this.files.group(a, view.groupId) : null;
          break;
        case 'owner':
          out.owner = view.ownerId ? await this.files.owner(a, view.ownerId) : null;
          break;
        case 'users':
          out.users = await this.files.users(view);
          break;
        case 'policy':
          break; // already on the view
      }
    }
    return out;
  }
}

/**
 * The query options, typed like Keygen's (unknown query keys are ignored). The spec
 * reads `ttl=null` as "no expiry", like an empty value.
 */
function queryOptions(query: Record<string, unknown>): CheckoutOptionsInput {
  const input = query.ttl === 'null' ? { ...query, ttl: '' } : query;
  const result = validateParams(CheckoutQueryParams, input, {}, { source: 'parameter' });
  if (!result.ok) {
    throw new ParamError(result.error.detail, result.error.source);
  }
  return result.value as CheckoutOptionsInput;
}

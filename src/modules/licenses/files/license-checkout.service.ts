import { Injectable } from '@nestjs/common';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import { LicenseLookup } from '../license-lookup.service';
import { licensePolicy } from '../license.policy';
import type { LicenseView } from '../license.view';
import { LICENSE_EVENTS, emitLicenseEvent } from '../actions/license-events';
import { checkoutFileMeta, issueCheckoutFile, licenseFileSecret } from './checkout-file';
import { checkoutInput, resolveCheckoutOptions, type CheckoutOptions } from './checkout-options';
import { CheckoutQueryParams, type CheckoutBody } from './dto/checkout.params';
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
    const input = checkoutInput(CheckoutQueryParams, query, body);
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
    const meta = checkoutFileMeta(ctx.clock.now(), options.ttl);
    const payload = licenseFileDocument(
      view,
      options.includes,
      await this.includes(view, options),
      meta,
      ctx.apiVersion,
    );
    return issueCheckoutFile(ctx, options, meta, {
      kind: 'license',
      payload,
      secret: licenseFileSecret(view),
      accountId: view.accountId,
      licenseId: view.id,
    });
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

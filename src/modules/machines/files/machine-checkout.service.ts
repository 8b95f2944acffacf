import { Injectable } from '@nestjs/common';
import { machineFileSecret } from '@libs/licensing';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import {
  checkoutFileMeta,
  issueCheckoutFile,
  licenseFileSecret,
} from '@app/modules/licenses/files/checkout-file';
import { checkoutInput } from '@app/modules/licenses/files/checkout-options';
import type { CheckoutBody } from '@app/modules/licenses/files/dto/checkout.params';
import { LicensesRepository } from '@app/modules/licenses/licenses.repository';
import { MACHINE_EVENTS, emitMachineEvent } from '../machine-events';
import { machinePolicy } from '../machine.policy';
import { MachineRelationshipsRepository } from '../machine-relationships.repository';
import type { MachineView } from '../machine.view';
import { MachinesRepository } from '../machines.repository';
import { MachinesService } from '../machines.service';
import { MachineCheckoutQueryParams } from './dto/machine-checkout.params';
import {
  INCLUDE_PERMISSIONS,
  resolveMachineCheckoutOptions,
  type MachineCheckoutOptions,
} from './machine-checkout-options';
import { machineFileDocument, type MachineFileRecords } from './machine-file.document';
import type { MachineFile } from './machine-file.serializer';

/**
 * Machine check-out (spec 03 §1.9): a signed, optionally encrypted certificate of the
 * machine document. Order as in Keygen: find (404), typed options (400), the
 * check-out rule (403), option rules (400 CHECKOUT_*), read rights on what the file
 * carries (403); then build, touch lastCheckOut and emit `machine.checked-out`. The
 * certificate carries the previous lastCheckOut, as Keygen's (its touch is async).
 */
@Injectable()
export class MachineCheckoutService {
  constructor(
    private readonly machines: MachinesService,
    private readonly rows: MachinesRepository,
    private readonly related: MachineRelationshipsRepository,
    private readonly licenses: LicensesRepository,
    private readonly events: DomainEvents,
  ) {}

  /** `body` only for POST, whose `meta` options override the query's. */
  async checkout(
    ctx: RequestContext,
    id: string,
    query: Record<string, unknown>,
    body?: ParamsThunk<CheckoutBody>,
  ): Promise<MachineFile> {
    const { view, facts, caller } = await this.machines.find(ctx, id);
    const input = checkoutInput(MachineCheckoutQueryParams, query, body);
    enforce(machinePolicy.checkOut(caller, facts));
    const license = await this.related.license(ctx.scope.accountId, view.licenseId);
    const licenseView = license ? await this.licenses.view(license, ctx.clock.now()) : null;
    const options = resolveMachineCheckoutOptions(input, licenseView?.policy.scheme ?? null);
    enforce(
      machinePolicy.readFile(
        caller,
        facts,
        options.includes.map((i) => INCLUDE_PERMISSIONS[i]),
      ),
    );

    const meta = checkoutFileMeta(ctx.clock.now(), options.ttl);
    const payload = machineFileDocument(
      view,
      options.includes,
      await this.records(view, licenseView, options),
      meta,
      ctx.apiVersion,
    );
    const file = issueCheckoutFile(ctx, options, meta, {
      kind: 'machine',
      payload,
      secret: machineFileSecret(licenseFileSecret(licenseView), view.fingerprint),
      accountId: view.accountId,
      licenseId: view.licenseId,
    });
    await this.rows.touchCheckOut(view.accountId, view.id, file.issued);
    emitMachineEvent(this.events, MACHINE_EVENTS.checkedOut, ctx, view);
    return { ...file, machineId: view.id };
  }

  private async records(
    view: MachineView,
    license: MachineFileRecords['license'],
    options: MachineCheckoutOptions,
  ): Promise<MachineFileRecords> {
    const out: MachineFileRecords = { license };
    const a = view.accountId;
    for (const name of options.includes) {
      switch (name) {
        case 'license.entitlements':
          out.entitlements = license ? await this.related.entitlements(license) : [];
          break;
        case 'license.product':
          out.product = await this.related.product(a, view.productId);
          break;
        case 'license.owner':
          out.licenseOwner = license?.ownerId ? await this.related.user(a, license.ownerId) : null;
          break;
        case 'license.users':
          out.licenseUsers = license ? await this.related.licenseUsers(license) : [];
          break;
        case 'components':
          out.components = await this.related.components(view);
          break;
        case 'environment':
          out.environment = view.environmentId
            ? await this.related.environment(a, view.environmentId)
            : null;
          break;
        case 'group':
          out.group = view.groupId ? await this.related.group(a, view.groupId) : null;
          break;
        case 'owner':
          out.owner = view.ownerId ? await this.related.user(a, view.ownerId) : null;
          break;
        case 'license':
        case 'license.policy':
          break; // the license view carries its policy
      }
    }
    return out;
  }
}

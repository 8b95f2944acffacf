import { Injectable } from '@nestjs/common';
import { timestamp } from '@libs/jsonapi';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import { rendered, type Rendered } from '@app/common/http/render';
import { LicensesRepository } from '@app/modules/licenses/licenses.repository';
import type { ProofBody } from './dto/machine.params';
import { MACHINE_EVENTS, emitMachineEvent } from './machine-events';
import { machinePolicy } from './machine.policy';
import { MachineRelationshipsRepository } from './machine-relationships.repository';
import type { MachineView } from './machine.view';
import { MachinesService } from './machines.service';

/** Ruby's Base64.urlsafe_encode64: URL-safe alphabet, padded. */
function urlsafe(b: Buffer): string {
  const s = b.toString('base64url');
  return s + '='.repeat((4 - (s.length % 4)) % 4);
}

/**
 * The legacy v1.0 offline proof (spec 03 §1.10): `proof/<b64url(dataset)>` signed
 * with the account's RSA key (PKCS1 v1.5, SHA-256). Order: lookup (404), rule (403),
 * body (400: only staff, products and environments may send a dataset).
 */
@Injectable()
export class MachineProofService {
  constructor(
    private readonly machines: MachinesService,
    private readonly related: MachineRelationshipsRepository,
    private readonly licenses: LicensesRepository,
    private readonly events: DomainEvents,
  ) {}

  async generate(
    ctx: RequestContext,
    id: string,
    params: ParamsThunk<ProofBody>,
  ): Promise<Rendered<MachineView>> {
    const { view, facts, caller } = await this.machines.find(ctx, id);
    enforce(machinePolicy.generateProof(caller, facts));
    const dataset = params().meta?.dataset ?? (await this.defaultDataset(ctx, view));
    const signing = `proof/${urlsafe(Buffer.from(JSON.stringify(dataset), 'utf8'))}`;
    const sig = Buffer.from(ctx.account.signer.sign('rsa-sha256', signing), 'base64');
    const meta = { proof: `${signing}.${urlsafe(sig)}` };
    emitMachineEvent(this.events, MACHINE_EVENTS.proofsGenerated, ctx, view, { meta });
    return rendered(view, { meta });
  }

  private async defaultDataset(
    ctx: RequestContext,
    m: MachineView,
  ): Promise<Record<string, unknown>> {
    const row = await this.related.license(m.accountId, m.licenseId);
    const license = row ? await this.licenses.view(row, ctx.clock.now()) : null;
    return {
      account: { id: m.accountId },
      product: { id: m.productId },
      policy: { id: m.policyId, duration: license?.policy.duration ?? null },
      license: {
        id: m.licenseId,
        key: license?.key ?? null,
        expiry: license?.expiry ? timestamp(license.expiry) : null,
      },
      machine: { id: m.id, fingerprint: m.fingerprint, created: timestamp(m.createdAt) },
      ts: timestamp(ctx.clock.now()),
    };
  }
}

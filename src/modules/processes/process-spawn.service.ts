import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { TransactionRunner } from '@app/common/database/transaction';
import type { ApiErrorItem } from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import { uuidv4 } from '@app/common/ids';
import { effectiveLimits } from '@app/modules/licenses/license.view';
import type { LicenseWithPolicy } from '@app/modules/machines/machine-activation.repository';
import { newChildFacts } from '@app/modules/machines/machine-child.policy';
import {
  childEnvironmentId,
  machineRelationshipErrors,
} from '@app/modules/machines/machine-child.service';
import { MachineProcess } from '@app/modules/machines/machine.entity';
import { assertNoErrors } from '@app/modules/machines/machine.errors';
import { MachinesService } from '@app/modules/machines/machines.service';
import { callerOf } from '@app/modules/tokens/token.policy';
import type { SpawnProcessBody } from './dto/process.params';
import { PROCESS_EVENTS, emitProcessEvent } from './process-events';
import {
  processAttributeError,
  processIdConflict,
  processRelationshipError,
} from './process.errors';
import { processPolicy } from './process.policy';
import { metadataErrors, pidErrors, processLimit, processLimitErrors } from './process.rules';
import type { ProcessView, SpawnTarget } from './process.view';
import { ProcessesRepository } from './processes.repository';

/**
 * Spawn, `POST /processes` (spec 03 §3.2–3.3). Order: typed params (400, in the
 * controller), the rule on the process as built (403), then, in one transaction
 * holding the license row lock, every model validation (422, all listed) with the
 * process limit counted under that lock, and the insert. The lock serialises spawns
 * of one license, whatever the leasing bucket, so concurrent spawns never pass the
 * limit together. `process.created` goes out after the commit.
 */
@Injectable()
export class ProcessSpawnService {
  constructor(
    private readonly repo: ProcessesRepository,
    private readonly machines: MachinesService,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  async create(ctx: RequestContext, body: SpawnProcessBody): Promise<ProcessView> {
    const caller = callerOf(ctx);
    const { attributes: attrs, relationships: rels } = body.data;
    const accountId = ctx.scope.accountId;
    const target = await this.repo.spawnTarget(accountId, rels.machine.data.id);
    const environmentId = childEnvironmentId(ctx, rels.environment, target);
    enforce(processPolicy.create(caller, newChildFacts(target, environmentId)));

    const now = ctx.clock.now();
    const process = Object.assign(new MachineProcess(), {
      id: body.data.id ?? uuidv4(),
      accountId,
      environmentId,
      machineId: rels.machine.data.id,
      pid: attrs.pid,
      lastHeartbeatAt: now,
      lastDeathEventSentAt: null,
      heartbeatClaimedUntil: null,
      metadata: attrs.metadata ?? {},
      createdAt: now,
      updatedAt: now,
    });
    const view = await this.tx.run(async (m) => {
      let machine: SpawnTarget | null = null;
      let locked: LicenseWithPolicy | null = null;
      if (target) {
        locked = await this.machines.lockLicense(ctx, target.licenseId, m);
        machine = await this.repo.spawnTarget(accountId, target.id, m);
      }
      const errors = await this.errors(
        ctx,
        process,
        machine,
        locked,
        body.data.id !== undefined,
        m,
      );
      assertNoErrors(errors);
      await this.repo.insert(process, m);
      return (await this.repo.viewById(accountId, process.id, m)) as ProcessView;
    });
    emitProcessEvent(this.events, PROCESS_EVENTS.created, ctx, view);
    return view;
  }

  /**
   * Keygen's validation order: the environment against the machine's, the machine,
   * the pid (unique on the machine, reserved, length), metadata, a pre-set id, then
   * the process limit. Spawning never looks at the machine's or license's state.
   */
  private async errors(
    ctx: RequestContext,
    p: MachineProcess,
    machine: SpawnTarget | null,
    locked: LicenseWithPolicy | null,
    presetId: boolean,
    m: EntityManager,
  ): Promise<ApiErrorItem[]> {
    const errors = machineRelationshipErrors(
      ctx,
      p.environmentId,
      machine,
      processRelationshipError,
    );
    if (machine && (await this.repo.pidTaken(machine.id, p.pid, m))) {
      errors.push(processAttributeError('pid', 'PID_TAKEN', 'has already been taken'));
    }
    errors.push(...pidErrors(p.pid));
    errors.push(...metadataErrors(p.metadata));
    if (presetId && (await this.repo.idTaken(p.id, m))) {
      errors.push(processIdConflict());
    }
    if (machine && locked) {
      const { license, policy } = locked;
      const limit = processLimit(
        policy.processLeasingStrategy,
        policy.overageStrategy,
        machine.maxProcesses,
        effectiveLimits(license, policy).maxProcesses,
      );
      if (limit) {
        const count = await this.repo.countInBucket(limit.bucket, machine, m);
        errors.push(...processLimitErrors(limit, policy.overageStrategy, count));
      }
    }
    return errors;
  }
}

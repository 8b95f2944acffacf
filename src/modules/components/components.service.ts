import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Pagination } from '@libs/jsonapi';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { TransactionRunner } from '@app/common/database/transaction';
import type { ApiErrorItem } from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { ListResult } from '@app/common/http/render';
import { uuidv4 } from '@app/common/ids';
import { COMPONENT_TAKEN, uniquenessScope } from '@app/modules/machines/machine-activation.service';
import { newChildFacts } from '@app/modules/machines/machine-child.policy';
import {
  childEnvironmentId,
  findChild,
  machineRelationshipErrors,
  type FoundChild,
} from '@app/modules/machines/machine-child.service';
import { MachineComponent } from '@app/modules/machines/machine.entity';
import { assertNoErrors } from '@app/modules/machines/machine.errors';
import { machinePolicy } from '@app/modules/machines/machine.policy';
import { MachinesService } from '@app/modules/machines/machines.service';
import { callerOf } from '@app/modules/tokens/token.policy';
import type { CreateComponentBody, UpdateComponentBody } from './dto/component.params';
import { COMPONENT_EVENTS, emitComponentEvent } from './component-events';
import { parseComponentFilters } from './component-filters';
import { componentAttributeError, componentRelationshipError } from './component.errors';
import { componentPolicy } from './component.policy';
import { TAKEN, attributeErrors, fingerprintErrors } from './component.rules';
import type { ComponentRecord, TargetMachine } from './component.view';
import { ComponentsRepository } from './components.repository';

/** A component found for a route, with what its rules need. */
export type FoundComponent = FoundChild<ComponentRecord>;

/**
 * Components (spec 03 §2): list, show, create with the uniqueness strategies, update
 * and delete, and the one lookup every component route uses (UUID inside the
 * bearer's reach → 404, then the route's rule → 403).
 */
@Injectable()
export class ComponentsService {
  constructor(
    private readonly repo: ComponentsRepository,
    private readonly machines: MachinesService,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  /** Finds the component in the bearer's reach (optionally on one machine) or 404s. */
  find(ctx: RequestContext, id: string, machineId?: string): Promise<FoundComponent> {
    return findChild(ctx, this.repo, 'machine component', id, machineId);
  }

  async index(
    ctx: RequestContext,
    query: Record<string, unknown>,
    pagination: Pagination,
  ): Promise<ListResult<ComponentRecord>> {
    const caller = callerOf(ctx);
    enforce(componentPolicy.index(caller));
    return this.repo.list(
      ctx.scope,
      machinePolicy.scope(caller.bearer),
      parseComponentFilters(query),
      pagination,
    );
  }

  async show(ctx: RequestContext, id: string): Promise<ComponentRecord> {
    const found = await this.find(ctx, id);
    enforce(componentPolicy.show(found.caller, found.facts));
    return found.view;
  }

  /**
   * §2.2–2.4: params (400, in the controller) → rule on the component as built (403)
   * → under the license row lock, every model error (422, all listed) → insert →
   * `component.created`. The lock serialises creates for one license, so the wider
   * uniqueness strategies cannot be passed by two racing requests.
   */
  async create(ctx: RequestContext, body: CreateComponentBody): Promise<ComponentRecord> {
    const caller = callerOf(ctx);
    const { attributes: attrs, relationships: rels } = body.data;
    const accountId = ctx.scope.accountId;
    const target = await this.repo.targetMachine(accountId, rels.machine.data.id);
    const environmentId = childEnvironmentId(ctx, rels.environment, target);
    enforce(componentPolicy.create(caller, newChildFacts(target, environmentId)));

    const now = ctx.clock.now();
    const component = Object.assign(new MachineComponent(), {
      id: uuidv4(),
      accountId,
      environmentId,
      machineId: rels.machine.data.id,
      fingerprint: attrs.fingerprint,
      name: attrs.name,
      metadata: attrs.metadata ?? {},
      createdAt: now,
      updatedAt: now,
    });
    const record = await this.tx.run(async (m) => {
      let machine: TargetMachine | null = null;
      if (target) {
        await this.machines.lockLicense(ctx, target.licenseId, m);
        machine = await this.repo.targetMachine(accountId, target.id, m);
      }
      assertNoErrors(await this.createErrors(ctx, component, machine, m));
      await this.repo.insert(component, m);
      return (await this.repo.viewById(accountId, component.id, m)) as ComponentRecord;
    });
    emitComponentEvent(this.events, COMPONENT_EVENTS.created, ctx, record);
    return record;
  }

  /** Lookup (404) → rule (403) → params (400) → validations (422) → write. */
  async update(
    ctx: RequestContext,
    id: string,
    params: ParamsThunk<UpdateComponentBody>,
  ): Promise<ComponentRecord> {
    const found = await this.find(ctx, id);
    enforce(componentPolicy.update(found.caller, found.facts));
    const attrs = params().data.attributes;
    const current = found.view;

    const patch: Partial<MachineComponent> = {};
    const changes: Record<string, [unknown, unknown]> = {};
    if (attrs.name !== undefined && attrs.name !== current.name) {
      patch.name = attrs.name;
      changes.name = [current.name, attrs.name];
    }
    if (
      attrs.metadata !== undefined &&
      JSON.stringify(attrs.metadata) !== JSON.stringify(current.metadata)
    ) {
      patch.metadata = attrs.metadata;
      changes.metadata = [current.metadata, attrs.metadata];
    }
    const next: ComponentRecord = { ...current, ...patch };
    assertNoErrors(attributeErrors(next));
    // Like Keygen, an update that changes nothing leaves `updated` alone (the event still goes out).
    if (Object.keys(patch).length > 0) {
      next.updatedAt = ctx.clock.now();
      await this.repo.update(ctx.scope.accountId, current.id, {
        ...patch,
        updatedAt: next.updatedAt,
      });
    }
    emitComponentEvent(this.events, COMPONENT_EVENTS.updated, ctx, next, { changes });
    return next;
  }

  /** `component.deleted` goes out before the delete, as in Keygen. */
  async destroy(ctx: RequestContext, id: string): Promise<void> {
    const found = await this.find(ctx, id);
    enforce(componentPolicy.destroy(found.caller, found.facts));
    emitComponentEvent(this.events, COMPONENT_EVENTS.deleted, ctx, found.view);
    await this.repo.delete(ctx.scope.accountId, found.view.id);
  }

  /**
   * Keygen's validation order: the environment against the machine's, the machine,
   * the fingerprint (unique on the machine, reserved, length), name, metadata, then
   * the policy's componentUniquenessStrategy. Equal code + pointer keep the first.
   */
  private async createErrors(
    ctx: RequestContext,
    c: MachineComponent,
    machine: TargetMachine | null,
    m: EntityManager,
  ): Promise<ApiErrorItem[]> {
    const errors = machineRelationshipErrors(
      ctx,
      c.environmentId,
      machine,
      componentRelationshipError,
    );
    if (
      machine &&
      (await this.repo.fingerprintTaken(
        { kind: 'machine', machineId: machine.id },
        c.fingerprint,
        m,
      ))
    ) {
      errors.push(componentAttributeError('fingerprint', 'FINGERPRINT_TAKEN', TAKEN));
    }
    errors.push(...fingerprintErrors(c.fingerprint));
    errors.push(...attributeErrors(c));
    if (machine) {
      // The same tables as inline components at activation (spec 03 §2.4).
      const strategy = machine.componentUniquenessStrategy;
      const scope = uniquenessScope(strategy, { ...machine, id: machine.licenseId });
      if (scope && (await this.repo.fingerprintTaken(scope, c.fingerprint, m))) {
        errors.push(
          componentAttributeError(
            'fingerprint',
            'FINGERPRINT_TAKEN',
            COMPONENT_TAKEN[strategy ?? ''] ?? TAKEN,
          ),
        );
      }
    }
    return errors;
  }
}

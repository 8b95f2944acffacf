import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import type { SqlPredicate } from '@app/common/database/sql-predicate';
import { TransactionRunner } from '@app/common/database/transaction';
import { NotFoundError } from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { ListResult } from '@app/common/http/render';
import { callerOf, type Caller } from '@app/modules/tokens/token.policy';
import type { ExactIntegersReader } from './dto/exact-integers.decorator';
import type { UpdateMachineBody } from './dto/machine.params';
import {
  MachineActivationRepository,
  type LicenseWithPolicy,
} from './machine-activation.repository';
import { TokenCounterConflictError, assertNoErrors, tokenLimitExceeded } from './machine.errors';
import { MACHINE_EVENTS, emitMachineEvent } from './machine-events';
import { parseMachineFilters, type MachineFilterName } from './machine-filters';
import { MachineLimits } from './machine-limits';
import {
  machineFacts,
  machinePolicy,
  type MachineAccess,
  type MachineFacts,
} from './machine.policy';
import { attributeErrors } from './machine.rules';
import type { Machine } from './machine.entity';
import type { MachineView } from './machine.view';
import { MachinesRepository } from './machines.repository';

/** A machine found for a route, with what its rules need. */
export interface FoundMachine {
  view: MachineView;
  facts: MachineFacts;
  caller: Caller;
}

/** The attributes PATCH may change, with their wire names. */
const UPDATABLE = [
  'name',
  'ip',
  'hostname',
  'platform',
  'cores',
  'memory',
  'disk',
  'metadata',
] as const;

/**
 * Machines CRUD (spec 03 §1.1, §1.4, §1.6, §1.7) and the one lookup every machine
 * route uses: `{id}` as UUID or fingerprint inside the bearer's reach (404), then the
 * route's rule (403).
 */
@Injectable()
export class MachinesService {
  constructor(
    private readonly repo: MachinesRepository,
    private readonly activation: MachineActivationRepository,
    private readonly limits: MachineLimits,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  access(ctx: RequestContext): MachineAccess {
    return machinePolicy.scope(callerOf(ctx).bearer);
  }

  /** Finds the machine in the bearer's reach or 404s; does not authorize. */
  async find(ctx: RequestContext, id: string): Promise<FoundMachine> {
    const caller = callerOf(ctx);
    const { access, licenseeOf } = machinePolicy.reach(caller.bearer);
    const found = await this.repo.find(ctx.scope, access, id, licenseeOf);
    if (!found) {
      throw NotFoundError.record('machine', id);
    }
    return { view: found.view, facts: machineFacts(found.view, found.bearerIsLicensee), caller };
  }

  /**
   * A ping in one round trip when the machine has the `expected` facts and is not
   * DEAD (MachinesRepository.pingIfUnchanged); null otherwise. Does not
   * authorize: the caller has checked the ping rule against `expected`.
   */
  pingIfUnchanged(
    ctx: RequestContext,
    id: string,
    expected: Omit<MachineFacts, 'id'>,
    now: Date,
  ): Promise<MachineView | null> {
    const { access, licenseeOf } = machinePolicy.reach(callerOf(ctx).bearer);
    return this.repo.pingIfUnchanged(ctx.scope, access, id, licenseeOf, expected, now);
  }

  async index(
    ctx: RequestContext,
    query: Record<string, unknown>,
    pagination: Pagination,
    allowed?: readonly MachineFilterName[],
    search?: SqlPredicate,
  ): Promise<ListResult<MachineView>> {
    const caller = callerOf(ctx);
    enforce(machinePolicy.index(caller));
    const clauses = parseMachineFilters(query, ctx.clock.now(), allowed);
    const access = machinePolicy.scope(caller.bearer);
    const page = await this.repo.list(ctx.scope, access, clauses, pagination, undefined, search);
    return { ...page, rows: await this.repo.views(page.rows) };
  }

  async show(ctx: RequestContext, id: string): Promise<MachineView> {
    const found = await this.find(ctx, id);
    enforce(machinePolicy.show(found.caller, found.facts));
    return found.view;
  }

  /** §1.6: lookup (404) → rule (403) → params (400) → validations (422) → write. */
  async update(
    ctx: RequestContext,
    id: string,
    params: ParamsThunk<UpdateMachineBody>,
    exact: ExactIntegersReader,
  ): Promise<MachineView> {
    const found = await this.find(ctx, id);
    enforce(machinePolicy.update(found.caller, found.facts));
    const attrs = params().data.attributes;
    const integers = exact();
    const current = found.view;

    const patch: Partial<Machine> = {};
    const changes: Record<string, [unknown, unknown]> = {};
    const next: Record<string, unknown> = {};
    for (const attr of UPDATABLE) {
      const given = attrs[attr];
      if (given === undefined) {
        continue;
      }
      let value: unknown = given;
      if (attr === 'cores' && given !== null) {
        value = Number(integers.cores ?? given);
      } else if ((attr === 'memory' || attr === 'disk') && given !== null) {
        value = integers[attr] ?? BigInt(given as number).toString();
      }
      next[attr] = value;
      if (JSON.stringify(value) !== JSON.stringify(current[attr])) {
        (patch as Record<string, unknown>)[attr] = value;
        changes[attr] = [current[attr], value];
      }
    }
    const updated: MachineView = Object.assign(
      Object.create(Object.getPrototypeOf(current) as object) as MachineView,
      current,
      next,
    );
    const coresDigits =
      attrs.cores !== undefined && attrs.cores !== null
        ? (integers.cores ?? String(attrs.cores))
        : updated.cores;

    await this.tx.run(async (m) => {
      const locked = await this.activation.lockLicense(ctx.scope.accountId, current.licenseId, m);
      const errors = attributeErrors({ ...updated, cores: coresDigits });
      if (locked) {
        errors.push(...(await this.limits.resourceErrors(updated, locked, m)));
      }
      assertNoErrors(errors);
      // Like Keygen, an update that changes nothing leaves `updated` alone.
      if (Object.keys(patch).length > 0) {
        patch.updatedAt = ctx.clock.now();
        updated.updatedAt = patch.updatedAt;
        await this.repo.update(ctx.scope.accountId, current.id, patch, m);
      }
    });
    emitMachineEvent(this.events, MACHINE_EVENTS.updated, ctx, updated, { changes });
    return updated;
  }

  /** §1.7: `machine.deleted` goes out before the delete (components and processes go too). */
  async destroy(ctx: RequestContext, id: string): Promise<void> {
    const found = await this.find(ctx, id);
    enforce(machinePolicy.destroy(found.caller, found.facts));
    await this.tx.run(async (m) => {
      if (ctx.token && ctx.bearer?.type === 'licenses') {
        const now = ctx.clock.now();
        const r = await this.activation.incrementTokenCounter(
          ctx.token.id,
          'deactivations',
          now,
          m,
        );
        if (!r.ok) {
          throw r.reason === 'limit'
            ? tokenLimitExceeded('deactivations', r.max)
            : new TokenCounterConflictError('deactivations');
        }
      }
      await this.repo.delete(ctx.scope.accountId, found.view.id, m);
    });
    emitMachineEvent(this.events, MACHINE_EVENTS.deleted, ctx, found.view);
  }

  /** The license (with its policy) of a machine, under a row lock in `m`. */
  lockLicense(
    ctx: RequestContext,
    licenseId: string,
    m: Parameters<MachineActivationRepository['lockLicense']>[2],
  ): Promise<LicenseWithPolicy | null> {
    return this.activation.lockLicense(ctx.scope.accountId, licenseId, m);
  }
}

import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ParamsThunk } from '@app/common/http/params.decorator';
import type { ListResult } from '@app/common/http/render';
import { findChild, type FoundChild } from '@app/modules/machines/machine-child.service';
import { assertNoErrors } from '@app/modules/machines/machine.errors';
import { machinePolicy } from '@app/modules/machines/machine.policy';
import { callerOf } from '@app/modules/tokens/token.policy';
import type { UpdateProcessBody } from './dto/process.params';
import { PROCESS_EVENTS, emitProcessEvent } from './process-events';
import { parseProcessFilters } from './process-filters';
import { processPolicy } from './process.policy';
import { metadataErrors } from './process.rules';
import type { ProcessView } from './process.view';
import { ProcessesRepository } from './processes.repository';

/** A process found for a route, with what its rules need. */
export type FoundProcess = FoundChild<ProcessView>;

/**
 * Processes (spec 03 §3): list with the status filter, show, update (metadata) and
 * kill, and the one lookup every process route uses (UUID inside the bearer's
 * reach → 404, then the route's rule → 403). Spawn and ping have their own services.
 */
@Injectable()
export class ProcessesService {
  constructor(
    private readonly repo: ProcessesRepository,
    private readonly events: DomainEvents,
  ) {}

  /** Finds the process in the bearer's reach (optionally on one machine) or 404s. */
  find(ctx: RequestContext, id: string, machineId?: string): Promise<FoundProcess> {
    return findChild(ctx, this.repo, 'machine process', id, machineId);
  }

  async index(
    ctx: RequestContext,
    query: Record<string, unknown>,
    pagination: Pagination,
  ): Promise<ListResult<ProcessView>> {
    const caller = callerOf(ctx);
    enforce(processPolicy.index(caller));
    return this.repo.list(
      ctx.scope,
      machinePolicy.scope(caller.bearer),
      parseProcessFilters(query, ctx.clock.now()),
      pagination,
    );
  }

  async show(ctx: RequestContext, id: string): Promise<ProcessView> {
    const found = await this.find(ctx, id);
    enforce(processPolicy.show(found.caller, found.facts));
    return found.view;
  }

  /** §3.5: lookup (404) → rule (403) → params (400) → validations (422) → `process.updated`. */
  async update(
    ctx: RequestContext,
    id: string,
    params: ParamsThunk<UpdateProcessBody>,
  ): Promise<ProcessView> {
    const found = await this.find(ctx, id);
    enforce(processPolicy.update(found.caller, found.facts));
    const { metadata } = params().data.attributes;
    const current = found.view;
    const next: ProcessView = { ...current };
    const changes: Record<string, [unknown, unknown]> = {};
    if (metadata !== undefined && JSON.stringify(metadata) !== JSON.stringify(current.metadata)) {
      assertNoErrors(metadataErrors(metadata));
      next.metadata = metadata;
      next.updatedAt = ctx.clock.now();
      changes.metadata = [current.metadata, metadata];
      await this.repo.update(ctx.scope.accountId, current.id, {
        metadata,
        updatedAt: next.updatedAt,
      });
    }
    // Like Keygen, the event goes out even when nothing changed.
    emitProcessEvent(this.events, PROCESS_EVENTS.updated, ctx, next, { changes });
    return next;
  }

  /** Kill (§3.5): `process.deleted`, then the delete. */
  async destroy(ctx: RequestContext, id: string): Promise<void> {
    const found = await this.find(ctx, id);
    enforce(processPolicy.destroy(found.caller, found.facts));
    emitProcessEvent(this.events, PROCESS_EVENTS.deleted, ctx, found.view);
    await this.repo.delete(ctx.scope.accountId, found.view.id);
  }
}

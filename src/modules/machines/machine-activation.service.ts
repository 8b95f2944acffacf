import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { metadataModelError } from '@libs/jsonapi';
import { addDuration } from '@libs/licensing';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { TransactionRunner } from '@app/common/database/transaction';
import type { ApiErrorItem } from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import { isUuidLike, normalizeUuid, uuidv4 } from '@app/common/ids';
import { callerOf } from '@app/modules/tokens/token.policy';
import type { ExactIntegersReader } from './dto/exact-integers.decorator';
import type { CreateMachineBody, InlineComponentParams } from './dto/machine.params';
import { MachineComponent, Machine } from './machine.entity';
import {
  MachineActivationRepository,
  type LicenseWithPolicy,
  type UniquenessScope,
} from './machine-activation.repository';
import {
  TokenCounterConflictError,
  TooManyComponentsError,
  assertNoErrors,
  inlineComponentError,
  machineAttributeError,
  machineRelationshipError,
  modelError,
  tokenLimitExceeded,
} from './machine.errors';
import { MachineLimits } from './machine-limits';
import { machinePolicy } from './machine.policy';
import {
  FINGERPRINT_MAX,
  MAX_INLINE_COMPONENTS,
  RESERVED_FINGERPRINTS,
  TEXT_MAX,
  attributeErrors,
  charLength,
  fingerprintErrors,
  tooLong,
} from './machine.rules';
import { emitMachineEvent, MACHINE_EVENTS } from './machine-events';
import type { MachineView } from './machine.view';
import { MachinesRepository } from './machines.repository';

/** Detail per machine uniqueness strategy (spec 03 §1.5.7). */
const MACHINE_TAKEN: Record<string, string> = {
  UNIQUE_PER_ACCOUNT: 'has already been taken for this account',
  UNIQUE_PER_PRODUCT: 'has already been taken for this product',
  UNIQUE_PER_POLICY: 'has already been taken for this policy',
};

/** Detail per component uniqueness strategy (spec 03 §2.4). */
export const COMPONENT_TAKEN: Record<string, string> = {
  UNIQUE_PER_ACCOUNT: 'has already been taken for this account',
  UNIQUE_PER_PRODUCT: 'has already been taken for this product',
  UNIQUE_PER_POLICY: 'has already been taken for this policy',
  UNIQUE_PER_LICENSE: 'has already been taken for this license',
};

/** Where a strategy looks for an existing fingerprint, for a machine of `l`. */
export function uniquenessScope(
  strategy: string | null,
  l: { accountId: string; productId: string; policyId: string; id: string },
): UniquenessScope | null {
  switch (strategy) {
    case 'UNIQUE_PER_ACCOUNT':
      return { kind: 'account', accountId: l.accountId };
    case 'UNIQUE_PER_PRODUCT':
      return { kind: 'product', accountId: l.accountId, productId: l.productId };
    case 'UNIQUE_PER_POLICY':
      return { kind: 'policy', accountId: l.accountId, policyId: l.policyId };
    case 'UNIQUE_PER_LICENSE':
      return { kind: 'license', licenseId: l.id };
    default:
      return null;
  }
}

/**
 * Activation, `POST /machines` (spec 03 §1.5). Order: typed params (400, in the
 * controller), more than 20 inline components (422), authorization (403), then, in
 * one transaction holding the license row lock, every model validation (422, all
 * listed), the license token's activation counter, the inserts, and the
 * first-activation expiry. `machine.created` is emitted after the commit.
 */
@Injectable()
export class MachineActivationService {
  constructor(
    private readonly repo: MachinesRepository,
    private readonly activation: MachineActivationRepository,
    private readonly limits: MachineLimits,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  async create(
    ctx: RequestContext,
    body: CreateMachineBody,
    exact: ExactIntegersReader,
  ): Promise<MachineView> {
    const data = body.data;
    const attrs = data.attributes;
    const rels = data.relationships;
    const integers = exact();
    const components = rels.components?.data ?? [];
    if (components.length > MAX_INLINE_COMPONENTS) {
      throw new TooManyComponentsError();
    }

    const caller = callerOf(ctx);
    const licenseId = rels.license.data.id;
    const found = await this.activation.findLicense(ctx.scope.accountId, licenseId);
    const ownerId = rels.owner?.data?.id ?? null;
    const environmentId = rels.environment
      ? (rels.environment.data?.id ?? null)
      : found
        ? found.license.environmentId
        : ctx.scope.environmentId;
    enforce(
      machinePolicy.create(
        caller,
        {
          environmentId,
          ownerId,
          license: found
            ? {
                id: found.license.id,
                productId: found.license.productId,
                ownerId: found.license.ownerId,
                protected: found.license.protected ?? found.policy.protected,
              }
            : null,
        },
        rels.components !== undefined,
      ),
    );

    const now = ctx.clock.now();
    const machine: Machine = Object.assign(new Machine(), {
      id: data.id ?? uuidv4(),
      accountId: ctx.scope.accountId,
      environmentId,
      licenseId,
      // Set from the locked license before the insert.
      policyId: found?.license.policyId ?? '',
      productId: found?.license.productId ?? '',
      ownerId,
      groupId: rels.group?.data?.id ?? null,
      fingerprint: attrs.fingerprint,
      name: attrs.name ?? null,
      ip: attrs.ip ?? null,
      hostname: attrs.hostname ?? null,
      platform: attrs.platform ?? null,
      cores: null,
      memory: exactValue(attrs.memory, integers.memory),
      disk: exactValue(attrs.disk, integers.disk),
      maxProcesses: null,
      lastHeartbeatAt: null,
      lastDeathEventSentAt: null,
      heartbeatClaimedUntil: null,
      lastCheckOutAt: null,
      metadata: attrs.metadata ?? {},
      createdAt: now,
      updatedAt: now,
    } as Machine);
    const cores = exactValue(attrs.cores, integers.cores);
    machine.cores = cores === null ? null : Number(cores);

    const view = await this.tx.run(async (m) => {
      const locked = await this.activation.lockLicense(ctx.scope.accountId, licenseId, m);
      const errors = await this.validate(
        ctx,
        machine,
        (data.id ?? null) !== null,
        cores,
        locked,
        components,
        m,
      );
      assertNoErrors(errors);
      const { license, policy } = locked as LicenseWithPolicy;
      machine.policyId = license.policyId;
      machine.productId = license.productId;

      if (ctx.token && ctx.bearer?.type === 'licenses') {
        const r = await this.activation.incrementTokenCounter(ctx.token.id, 'activations', now, m);
        if (!r.ok) {
          throw r.reason === 'limit'
            ? tokenLimitExceeded('activations', r.max)
            : new TokenCounterConflictError('activations');
        }
      }

      if (policy.heartbeatBasis === 'FROM_CREATION') {
        machine.lastHeartbeatAt = now;
      }
      await this.repo.insert(machine, m);
      await this.activation.insertComponents(
        components.map((c) => inlineComponent(machine, c, now)),
        m,
      );
      if (
        policy.expirationBasis === 'FROM_FIRST_ACTIVATION' &&
        policy.duration !== null &&
        license.expiry === null
      ) {
        await this.activation.setExpiryIfUnset(
          license.id,
          addDuration(now, policy.duration),
          now,
          m,
        );
      }
      return this.repo.viewById(ctx.scope.accountId, machine.id, m);
    });
    const created = view as MachineView;
    emitMachineEvent(this.events, MACHINE_EVENTS.created, ctx, created);
    return created;
  }

  /**
   * Every model error of a new machine, in Keygen's order (§1.5.5–1.5.9). Group
   * inheritance (license's group, then the owner's) happens here, before the checks.
   */
  private async validate(
    ctx: RequestContext,
    machine: Machine,
    /** The client chose the id (`data.id`); a generated one needs no conflict check. */
    presetId: boolean,
    cores: string | null,
    locked: LicenseWithPolicy | null,
    components: readonly InlineComponentParams[],
    m: EntityManager,
  ): Promise<ApiErrorItem[]> {
    const errors: ApiErrorItem[] = [];
    const accountId = ctx.scope.accountId;
    if (!locked) {
      errors.push(machineRelationshipError('license', 'LICENSE_NOT_FOUND', 'must exist'));
    }

    const owner = machine.ownerId
      ? await this.activation.findUser(accountId, machine.ownerId, m)
      : null;
    if (machine.groupId === null && locked) {
      machine.groupId = locked.license.groupId;
    }
    if (machine.groupId === null && owner) {
      machine.groupId = owner.groupId;
    }

    if (locked) {
      errors.push(...(await this.componentErrors(locked, components, m)));
    }
    if (machine.ownerId && !owner) {
      errors.push(machineRelationshipError('owner', 'OWNER_NOT_FOUND', 'must exist'));
    }
    const group = machine.groupId
      ? await this.activation.lockGroup(accountId, machine.groupId, m)
      : null;
    if (machine.groupId && !group) {
      errors.push(machineRelationshipError('group', 'GROUP_NOT_FOUND', 'must exist'));
    }

    if (
      locked &&
      (await this.activation.machineFingerprintTaken(
        { kind: 'license', licenseId: locked.license.id },
        machine.fingerprint,
        m,
      ))
    ) {
      errors.push(
        machineAttributeError('fingerprint', 'FINGERPRINT_TAKEN', 'has already been taken'),
      );
    }
    errors.push(...fingerprintErrors(machine.fingerprint));
    errors.push(...attributeErrors({ ...machine, cores }));
    if (presetId && (await this.activation.machineIdTaken(machine.id, m))) {
      errors.push(
        modelError('machines', 'ID_CONFLICT', 'must not conflict with another machine', '/data/id'),
      );
    }
    if (
      isUuidLike(machine.fingerprint) &&
      (await this.activation.machineIdInAccount(accountId, normalizeUuid(machine.fingerprint), m))
    ) {
      errors.push(
        machineAttributeError(
          'fingerprint',
          'FINGERPRINT_CONFLICT',
          "must not conflict with another machine's identifier (UUID)",
        ),
      );
    }
    if (locked) {
      errors.push(...(await this.limits.activationErrors(machine, locked, m)));
      errors.push(...(await this.limits.resourceErrors(machine, locked, m)));
      const scope = uniquenessScope(locked.policy.machineUniquenessStrategy, locked.license);
      const detail = MACHINE_TAKEN[locked.policy.machineUniquenessStrategy ?? ''];
      if (
        scope &&
        detail &&
        (await this.activation.machineFingerprintTaken(scope, machine.fingerprint, m))
      ) {
        errors.push(machineAttributeError('fingerprint', 'FINGERPRINT_TAKEN', detail));
      }
    }
    if (group && group.maxMachines !== null) {
      if ((await this.activation.countGroupMachines(group.id, m)) >= group.maxMachines) {
        errors.push(
          machineRelationshipError(
            'group',
            'GROUP_MACHINE_LIMIT_EXCEEDED',
            `machine count has exceeded maximum allowed by current group (${group.maxMachines})`,
          ),
        );
      }
    }
    if (locked && owner && !(await this.activation.isLicenseUser(locked.license, owner.id, m))) {
      errors.push(
        machineRelationshipError('owner', 'OWNER_INVALID', 'must be a valid license user'),
      );
    }
    return errors;
  }

  /** §1.5.9: each component's own rules, duplicates within the request, uniqueness. */
  private async componentErrors(
    locked: LicenseWithPolicy,
    components: readonly InlineComponentParams[],
    m: EntityManager,
  ): Promise<ApiErrorItem[]> {
    if (components.length === 0) {
      return [];
    }
    const strategy = locked.policy.componentUniquenessStrategy;
    const scope = uniquenessScope(strategy, locked.license);
    const taken = scope
      ? await this.activation.takenComponentFingerprints(
          scope,
          components.map((c) => c.attributes.fingerprint),
          m,
        )
      : new Set<string>();
    const counts = new Map<string, number>();
    for (const c of components) {
      counts.set(c.attributes.fingerprint, (counts.get(c.attributes.fingerprint) ?? 0) + 1);
    }
    const errors: ApiErrorItem[] = [];
    components.forEach((c, i) => {
      const { fingerprint, name, metadata } = c.attributes;
      if (RESERVED_FINGERPRINTS.includes(fingerprint)) {
        errors.push(inlineComponentError(i, 'fingerprint', 'NOT_ALLOWED', 'is reserved'));
      }
      if (charLength(fingerprint) > FINGERPRINT_MAX) {
        errors.push(inlineComponentError(i, 'fingerprint', 'TOO_LONG', tooLong(FINGERPRINT_MAX)));
      }
      if (charLength(name) > TEXT_MAX) {
        errors.push(inlineComponentError(i, 'name', 'TOO_LONG', tooLong(TEXT_MAX)));
      }
      const md = metadataModelError(metadata);
      if (md) {
        errors.push(inlineComponentError(i, 'metadata', 'TOO_LONG', md));
      }
      if ((counts.get(fingerprint) ?? 0) > 1) {
        errors.push(inlineComponentError(i, 'fingerprint', 'CONFLICT', 'is duplicated'));
      }
      if (taken.has(fingerprint)) {
        errors.push(
          inlineComponentError(
            i,
            'fingerprint',
            'TAKEN',
            COMPONENT_TAKEN[strategy ?? ''] ?? 'has already been taken',
          ),
        );
      }
    });
    return errors;
  }
}

/** A 64-bit attribute's exact digits (from the raw body), else the parsed value's. */
function exactValue(parsed: number | null | undefined, digits: string | undefined): string | null {
  if (parsed === undefined || parsed === null) {
    return null;
  }
  return digits ?? BigInt(parsed).toString();
}

function inlineComponent(machine: Machine, c: InlineComponentParams, now: Date): MachineComponent {
  return Object.assign(new MachineComponent(), {
    id: uuidv4(),
    accountId: machine.accountId,
    environmentId: machine.environmentId,
    machineId: machine.id,
    fingerprint: c.attributes.fingerprint,
    name: c.attributes.name,
    metadata: c.attributes.metadata ?? {},
    createdAt: now,
    updatedAt: now,
  });
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { addDuration } from '@libs/licensing';
import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import { enforce } from '@app/common/auth/policy';
import type { RequestContext } from '@app/common/context/request-context';
import { TransactionRunner } from '@app/common/database/transaction';
import { DomainEvents } from '@app/common/events/domain-events';
import { UnprocessableError } from '@app/common/errors/api-error';
import { isUuidLike, normalizeUuid, uuidv4 } from '@app/common/ids';
import { AccountSettingsService } from '@app/modules/accounts/account-settings.service';
import type { Policy } from '@app/modules/policies/policy.entity';
import { PoliciesService } from '@app/modules/policies/policies.service';
import { ProductsService } from '@app/modules/products/products.service';
import { callerOf } from '@app/modules/tokens/token.policy';
import { permissionsAllowed, permissionsKnown } from '@app/modules/users/user.rules';
import type { CreateLicenseBody, LicenseAttributesInput } from './dto/license.params';
import { License } from './license.entity';
import { emitCrudEvent } from './license-crud-events';
import { LicenseKeyGenerator } from './license-key-generator';
import { licensePolicy } from './license.policy';
import {
  LicenseRecordsRepository,
  type GroupRow,
  type OwnerRow,
} from './license-records.repository';
import { licenseError, licenseErrors, type LicenseRuleFacts } from './license.rules';
import type { LicenseView } from './license.view';
import { LicensesRepository } from './licenses.repository';

/** What create resolved before opening its transaction. */
interface Resolved {
  policy: Policy | null;
  productEnvironmentId: string | null;
  owner: OwnerRow | null;
  permissions: string[];
}

/**
 * POST /licenses (spec 02 §4.4), in Keygen's order: typed params (400, controller) →
 * unknown permissions (422, at assignment) → authorization (403) → model validation
 * (422) → defaults and key generation (pool pop, signing; 422) → insert, all in one
 * transaction (the group row stays locked and a popped key returns on rollback).
 */
@Injectable()
export class LicenseCreateService {
  constructor(
    private readonly repo: LicensesRepository,
    private readonly records: LicenseRecordsRepository,
    private readonly keys: LicenseKeyGenerator,
    private readonly policies: PoliciesService,
    private readonly products: ProductsService,
    private readonly settings: AccountSettingsService,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEvents,
  ) {}

  async create(ctx: RequestContext, body: CreateLicenseBody): Promise<LicenseView> {
    const caller = callerOf(ctx);
    const attrs: LicenseAttributesInput = body.data.attributes ?? {};
    const rels = body.data.relationships;
    if (attrs.permissions !== undefined && !permissionsKnown(attrs.permissions)) {
      throw new UnprocessableError(
        licenseError(
          'attributes/permissions',
          'PERMISSIONS_NOT_ALLOWED',
          'unsupported permissions',
        ),
      );
    }
    const policyId = rels.policy.data.id;
    const ownerId = rels.owner?.data?.id ?? null;
    const policy = await this.policies.findByIdInAccount(ctx, policyId);
    const env = rels.environment;
    // Keygen: the explicit environment, else the current one, else the policy's.
    const environmentId = env
      ? (env.data?.id ?? null)
      : (ctx.scope.environmentId ?? policy?.environmentId ?? null);
    enforce(licensePolicy.create(caller, { environmentId, ownerId }, policy));

    const resolved: Resolved = {
      policy,
      productEnvironmentId: policy
        ? ((await this.products.findByIdInAccount(ctx, policy.productId))?.environmentId ?? null)
        : null,
      owner: ownerId ? await this.records.findUserInAccount(ctx.scope, ownerId) : null,
      permissions: attrs.permissions ??
        (await this.settings.defaultPermissionsFor(ctx, 'license')) ?? [
          ...DEFAULT_PERMISSIONS.license,
        ],
    };
    const view = await this.tx.run((m) =>
      this.insert(ctx, body, attrs, environmentId, ownerId, resolved, m),
    );
    emitCrudEvent(this.events, 'license.created', ctx, view);
    return view;
  }

  private async insert(
    ctx: RequestContext,
    body: CreateLicenseBody,
    attrs: LicenseAttributesInput,
    environmentId: string | null,
    ownerId: string | null,
    r: Resolved,
    m: EntityManager,
  ): Promise<LicenseView> {
    const now = ctx.clock.now();
    const rels = body.data.relationships;
    const explicitGroup = rels.group?.data?.id ?? null;
    // The owner's group is inherited when no group is given (before validation, so the
    // group limit applies to it too).
    const groupId = explicitGroup ?? r.owner?.groupId ?? null;
    const fields: License = {
      id: body.data.id ?? uuidv4(),
      accountId: ctx.scope.accountId,
      environmentId,
      policyId: rels.policy.data.id,
      productId: r.policy?.productId ?? '',
      ownerId,
      groupId,
      name: attrs.name ?? null,
      key: attrs.key ?? null,
      keyDigest: null,
      expiry: attrs.expiry ?? null,
      suspended: attrs.suspended ?? false,
      protected: attrs.protected ?? null,
      uses: 0,
      maxMachines: attrs.max_machines ?? null,
      maxProcesses: attrs.max_processes ?? null,
      maxUsers: attrs.max_users ?? null,
      maxCores: attrs.max_cores ?? null,
      maxMemory: attrs.max_memory ?? null,
      maxDisk: attrs.max_disk ?? null,
      maxUses: attrs.max_uses ?? null,
      version: null,
      lastValidatedAt: null,
      lastValidatedChecksum: null,
      lastValidatedVersion: null,
      lastCheckInAt: null,
      lastCheckOutAt: null,
      lastExpirationEventSentAt: null,
      lastExpiringSoonEventSentAt: null,
      lastCheckInEventSentAt: null,
      lastCheckInSoonEventSentAt: null,
      permissions: r.permissions,
      metadata: attrs.metadata ?? {},
      createdAt: now,
      updatedAt: now,
    };
    const license = Object.assign(new License(), fields);

    const group = groupId ? await this.records.lockGroupInAccount(ctx.scope, groupId, m) : null;
    const errors = licenseErrors(
      license,
      await this.facts(ctx, license, r, group, body.data.id !== undefined, m),
    );
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }
    const policy = r.policy as Policy;

    // Defaults, in Keygen's before_create order.
    license.protected ??= policy.protected;
    if (policy.requireCheckIn) {
      license.lastCheckInAt = now;
    }
    if (
      license.expiry === null &&
      policy.duration !== null &&
      (policy.expirationBasis === null || policy.expirationBasis === 'FROM_CREATION')
    ) {
      license.expiry = addDuration(now, policy.duration);
    }
    const generated = await this.keys.generate(
      ctx,
      policy,
      {
        licenseId: license.id,
        created: now,
        expiry: license.expiry,
        owner: r.owner ? { id: r.owner.id, email: r.owner.email } : null,
        clientKey: license.key,
      },
      m,
    );
    license.key = generated.key;
    license.keyDigest = generated.keyDigest;

    await this.repo.insert(license, m);
    const view = await this.repo.view(license, now, m);
    if (generated.rawKey !== undefined) {
      view.rawKey = generated.rawKey;
    }
    return view;
  }

  /** The facts model validation needs (queries run inside the transaction). */
  private async facts(
    ctx: RequestContext,
    license: License,
    r: Resolved,
    group: GroupRow | null,
    clientId: boolean,
    m: EntityManager,
  ): Promise<LicenseRuleFacts> {
    const { policy, owner } = r;
    const key = license.key;
    const groupLimit =
      group !== null &&
      group.maxLicenses !== null &&
      (await this.records.countGroupLicenses(group.id, m)) >= group.maxLicenses
        ? group.maxLicenses
        : null;
    return {
      onCreate: true,
      policy,
      policyNowhere:
        policy === null && !(await this.records.policyExistsAnywhere(license.policyId)),
      environmentIncompatibleWith: this.incompatible(ctx, r, group),
      ownerMissing: license.ownerId !== null && owner === null,
      groupMissing: license.groupId !== null && group === null,
      idConflict: clientId && (await this.records.idTaken(license.id, m)),
      keyConflictsWithId:
        key !== null &&
        isUuidLike(key) &&
        (await this.records.idInAccount(ctx.scope, normalizeUuid(key), m)),
      keyTaken: key !== null && (await this.records.keyTakenInAccount(ctx.scope, key, m)),
      groupLimitExceeded: groupLimit,
      permissionsNotAllowed: !permissionsAllowed('license', license.permissions ?? []),
    };
  }

  /**
   * Associations whose environment the new license's (the current one, the create rule
   * is strict) does not suit: global takes global; isolated its own (a global admin
   * owner too); shared its own and global.
   */
  private incompatible(
    ctx: RequestContext,
    r: Resolved,
    group: GroupRow | null,
  ): Array<'policy' | 'product' | 'group' | 'owner'> {
    const env = ctx.environment;
    const fits = (assocEnvId: string | null, globalAdmin = false): boolean => {
      if (env === null) {
        return assocEnvId === null;
      }
      if (env.isolationStrategy === 'SHARED') {
        return assocEnvId === env.id || assocEnvId === null;
      }
      return assocEnvId === env.id || (globalAdmin && assocEnvId === null);
    };
    const out: Array<'policy' | 'product' | 'group' | 'owner'> = [];
    if (r.policy && !fits(r.policy.environmentId)) {
      out.push('policy');
    }
    if (r.policy && !fits(r.productEnvironmentId)) {
      out.push('product');
    }
    if (group && !fits(group.environmentId)) {
      out.push('group');
    }
    if (r.owner && !fits(r.owner.environmentId, r.owner.role === 'admin')) {
      out.push('owner');
    }
    return out;
  }
}

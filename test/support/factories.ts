import { SecretBox, generateToken, generateTotpSecret, hashPassword, tokenDigest, totpCode } from '@libs/crypto';
import { DEFAULT_PERMISSIONS } from '@app/common/auth/permissions';
import type { Clock } from '@app/common/clock/clock';
import { TOKEN_KIND, TOKEN_PREFIX, type Role, type UserRole } from '@app/common/auth/roles';
import { uuidv4 } from '@app/common/ids';
import type { Account } from '@app/modules/accounts/account.entity';
import { AccountsCache } from '@app/modules/accounts/accounts.cache';
import { AccountsService } from '@app/modules/accounts/accounts.service';
import { Environment, type IsolationStrategy } from '@app/modules/environments/environment.entity';
import { Group } from '@app/modules/groups/group.entity';
import { GroupOwner } from '@app/modules/groups/group-owner.entity';
import { Entitlement } from '@app/modules/entitlements/entitlement.entity';
import { blankPolicy, type Policy } from '@app/modules/policies/policy.entity';
import { PolicyEntitlement } from '@app/modules/policies/policy-entitlement.entity';
import { Product } from '@app/modules/products/product.entity';
import { SecondFactor } from '@app/modules/second-factors/second-factor.entity';
import { Token, type BearerType } from '@app/modules/tokens/token.entity';
import { User } from '@app/modules/users/user.entity';
import { Key } from '@app/modules/keys/key.entity';
import { License, LicenseEntitlement, LicenseUser } from '@app/modules/licenses/license.entity';
import { Machine, MachineComponent, MachineProcess } from '@app/modules/machines/machine.entity';
import { generateDefaultKey } from '@libs/licensing';
import { WebhookActivityCache } from '@app/modules/webhooks/webhook-activity.cache';
import { WebhookEndpoint } from '@app/modules/webhooks/webhook-endpoint.entity';
import { WebhookEvent, type WebhookEventStatus } from '@app/modules/webhooks/webhook-event.entity';
import { EventLog } from '@app/modules/logs/event-log.entity';
import { RequestLog } from '@app/modules/logs/request-log.entity';
import type { TestApp } from './app';

let seq = 0;
const unique = (): string => `${Date.now().toString(36)}${(seq++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export interface GivenAccount {
  account: Account;
  id: string;
  slug: string;
  /** `/v1/accounts/<id>` */
  base: string;
  admin: User;
  adminPassword: string;
  adminToken: string;
  /** `{ Authorization: 'Bearer <admin token>' }` */
  auth: Record<string, string>;
}

export interface GivenUser {
  user: User;
  password: string;
  token: string;
  auth: Record<string, string>;
}

/** What the factories need from a booted app: tests pass their TestApp, the benchmark its own app. */
export type FactoryHost = Pick<TestApp, 'app' | 'ds'> & { clock: Clock };

/**
 * Factories write rows straight through TypeORM (real database, no mocks) so each
 * test starts from a fresh account; nothing needs truncating between tests.
 */
export function given(t: FactoryHost) {
  const now = (): Date => t.clock.now();

  async function token(
    account: Account,
    bearer: { type: BearerType; id: string; role: Role; environmentId: string | null },
    opts: { expiry?: Date | null; permissions?: string[]; name?: string | null; environmentId?: string | null } = {},
  ): Promise<{ token: Token; raw: string }> {
    const resolved = await t.app.get(AccountsCache).resolve(account.id);
    const raw = generateToken(TOKEN_PREFIX[bearer.role], bearer.role === 'license' ? 16 : 32);
    const row = Object.assign(new Token(), {
      id: uuidv4(),
      accountId: account.id,
      environmentId: opts.environmentId !== undefined ? opts.environmentId : bearer.environmentId,
      bearerType: bearer.type,
      bearerId: bearer.id,
      digest: tokenDigest(resolved!.secretKey, raw),
      kind: TOKEN_KIND[bearer.role],
      name: opts.name ?? null,
      expiry: opts.expiry ?? null,
      permissions: opts.permissions ?? ['*'],
      maxActivations: null,
      maxDeactivations: null,
      activations: 0,
      deactivations: 0,
      createdAt: now(),
      updatedAt: now(),
    });
    await t.ds.getRepository(Token).insert(row);
    return { token: row, raw };
  }

  async function user(
    account: Account,
    opts: {
      role?: UserRole;
      email?: string;
      password?: string | null;
      permissions?: string[];
      environment?: Environment | null;
      metadata?: Record<string, unknown>;
      firstName?: string | null;
      lastName?: string | null;
      banned?: boolean;
      tokenExpiry?: Date | null;
    } = {},
  ): Promise<GivenUser> {
    const role = opts.role ?? 'user';
    const password = opts.password === undefined ? `pw-${unique()}` : opts.password;
    const row = Object.assign(new User(), {
      id: uuidv4(),
      accountId: account.id,
      environmentId: opts.environment?.id ?? null,
      groupId: null,
      email: (opts.email ?? `${role}-${unique()}@example.com`).toLowerCase(),
      passwordDigest: password === null ? null : await hashPassword(password),
      firstName: opts.firstName ?? null,
      lastName: opts.lastName ?? null,
      role,
      permissions: opts.permissions ?? [...DEFAULT_PERMISSIONS[role]],
      metadata: opts.metadata ?? {},
      bannedAt: opts.banned ? now() : null,
      passwordResetDigest: null,
      passwordResetSentAt: null,
      createdAt: now(),
      updatedAt: now(),
    });
    await t.ds.manager.save(row);
    const tok = await token(
      account,
      { type: 'users', id: row.id, role, environmentId: row.environmentId },
      { expiry: opts.tokenExpiry ?? null },
    );
    return { user: row, password: password ?? '', token: tok.raw, auth: { Authorization: `Bearer ${tok.raw}` } };
  }

  async function account(opts: { slug?: string; protected?: boolean; apiVersion?: string } = {}): Promise<GivenAccount> {
    const slug = opts.slug ?? `acct-${unique()}`;
    const created = await t.ds.transaction((m) =>
      t.app.get(AccountsService).create(m, { name: slug, slug, protected: opts.protected, apiVersion: opts.apiVersion }, now()),
    );
    const admin = await user(created, { role: 'admin' });
    return {
      account: created,
      id: created.id,
      slug: created.slug,
      base: `/v1/accounts/${created.id}`,
      admin: admin.user,
      adminPassword: admin.password,
      adminToken: admin.token,
      auth: admin.auth,
    };
  }

  async function environment(
    account: Account,
    opts: { code?: string; isolationStrategy?: IsolationStrategy } = {},
  ): Promise<{ environment: Environment; token: string; auth: Record<string, string> }> {
    const code = opts.code ?? `env-${unique()}`;
    const row = Object.assign(new Environment(), {
      id: uuidv4(),
      accountId: account.id,
      name: code,
      code,
      isolationStrategy: opts.isolationStrategy ?? 'ISOLATED',
      createdAt: now(),
      updatedAt: now(),
    });
    await t.ds.getRepository(Environment).insert(row);
    const tok = await token(account, { type: 'environments', id: row.id, role: 'environment', environmentId: row.id });
    return {
      environment: row,
      token: tok.raw,
      auth: { Authorization: `Bearer ${tok.raw}`, 'Keygen-Environment': row.code },
    };
  }

  /** A TOTP second factor for the user; `otp()` is the code at the clock's current time. */
  async function secondFactor(
    user: User,
    opts: { enabled?: boolean } = {},
  ): Promise<{ factor: SecondFactor; secret: string; otp: () => string }> {
    const secret = generateTotpSecret();
    const row = Object.assign(new SecondFactor(), {
      id: uuidv4(),
      accountId: user.accountId,
      environmentId: user.environmentId,
      userId: user.id,
      secret: t.app.get(SecretBox).encrypt(secret),
      enabled: opts.enabled ?? false,
      lastVerifiedStep: null,
      createdAt: now(),
      updatedAt: now(),
    });
    await t.ds.getRepository(SecondFactor).insert(row);
    return { factor: row, secret, otp: () => totpCode(secret, now().getTime()) };
  }

  /** A group (global unless `environment`); `members` join it and `owners` own it. */
  async function group(
    account: Account,
    opts: {
      name?: string;
      environment?: Environment | null;
      maxUsers?: number | null;
      maxLicenses?: number | null;
      maxMachines?: number | null;
      metadata?: Record<string, unknown>;
      members?: User[];
      owners?: User[];
    } = {},
  ): Promise<Group> {
    const row = Object.assign(new Group(), {
      id: uuidv4(),
      accountId: account.id,
      environmentId: opts.environment?.id ?? null,
      name: opts.name ?? `group-${unique()}`,
      maxUsers: opts.maxUsers ?? null,
      maxLicenses: opts.maxLicenses ?? null,
      maxMachines: opts.maxMachines ?? null,
      metadata: opts.metadata ?? {},
      createdAt: now(),
      updatedAt: now(),
    });
    await t.ds.manager.save(row);
    for (const member of opts.members ?? []) {
      await t.ds.getRepository(User).update({ id: member.id }, { groupId: row.id });
      member.groupId = row.id;
    }
    for (const owner of opts.owners ?? []) {
      await groupOwner(row, owner);
    }
    return row;
  }

  /** `user` owns `group` (the owner row lives in the group's environment). */
  async function groupOwner(group: Group, user: User, opts: { environmentId?: string | null } = {}): Promise<GroupOwner> {
    const row = Object.assign(new GroupOwner(), {
      id: uuidv4(),
      accountId: group.accountId,
      environmentId: opts.environmentId !== undefined ? opts.environmentId : group.environmentId,
      groupId: group.id,
      userId: user.id,
      createdAt: now(),
      updatedAt: now(),
    });
    await t.ds.getRepository(GroupOwner).insert(row);
    return row;
  }

  /** A product (LICENSED unless told) with a product token; `auth` selects its environment. */
  async function product(
    account: Account,
    opts: {
      name?: string;
      code?: string | null;
      distributionStrategy?: string | null;
      url?: string | null;
      platforms?: string[] | null;
      permissions?: string[];
      metadata?: Record<string, unknown>;
      environment?: Environment | null;
    } = {},
  ): Promise<{ product: Product; token: string; auth: Record<string, string> }> {
    const row = Object.assign(new Product(), {
      id: uuidv4(),
      accountId: account.id,
      environmentId: opts.environment?.id ?? null,
      name: opts.name ?? `Product ${unique()}`,
      code: opts.code ?? null,
      distributionStrategy: opts.distributionStrategy === undefined ? 'LICENSED' : opts.distributionStrategy,
      url: opts.url ?? null,
      platforms: opts.platforms ?? null,
      permissions: opts.permissions ?? [...DEFAULT_PERMISSIONS.product],
      metadata: opts.metadata ?? {},
      createdAt: now(),
      updatedAt: now(),
    });
    await t.ds.manager.save(row);
    const tok = await token(account, { type: 'products', id: row.id, role: 'product', environmentId: row.environmentId });
    const auth: Record<string, string> = { Authorization: `Bearer ${tok.raw}` };
    if (opts.environment) {
      auth['Keygen-Environment'] = opts.environment.code;
    }
    return { product: row, token: tok.raw, auth };
  }

  /** An entitlement with a unique code unless told. */
  async function entitlement(
    account: Account,
    opts: { name?: string; code?: string; metadata?: Record<string, unknown>; environment?: Environment | null } = {},
  ): Promise<Entitlement> {
    const row = Object.assign(new Entitlement(), {
      id: uuidv4(),
      accountId: account.id,
      environmentId: opts.environment?.id ?? null,
      name: opts.name ?? `Feature ${unique()}`,
      code: opts.code ?? `feature-${unique()}`,
      metadata: opts.metadata ?? {},
      createdAt: now(),
      updatedAt: now(),
    });
    await t.ds.manager.save(row);
    return row;
  }

  /** A policy with Keygen's create-time defaults (node-locked, one machine) for a new or given product. */
  async function policy(
    account: Account,
    opts: Partial<Omit<Policy, 'id' | 'accountId' | 'productId' | 'environmentId'>> & {
      product?: Product;
      environment?: Environment | null;
    } = {},
  ): Promise<Policy> {
    const { product: given, environment: env, ...attrs } = opts;
    const owner = given ?? (await product(account, { environment: env ?? null })).product;
    // The store-level defaults a policy created through the API ends up with.
    const row = Object.assign(blankPolicy(), {
      id: uuidv4(),
      accountId: account.id,
      environmentId: env?.id ?? owner.environmentId,
      productId: owner.id,
      name: `Policy ${unique()}`,
      maxMachines: attrs.floating ? null : 1,
      heartbeatCullStrategy: 'DEACTIVATE_DEAD',
      heartbeatResurrectionStrategy: 'NO_REVIVE',
      heartbeatBasis: 'FROM_FIRST_PING',
      machineUniquenessStrategy: 'UNIQUE_PER_LICENSE',
      machineMatchingStrategy: 'MATCH_ANY',
      componentUniquenessStrategy: 'UNIQUE_PER_MACHINE',
      componentMatchingStrategy: 'MATCH_ANY',
      expirationStrategy: 'RESTRICT_ACCESS',
      expirationBasis: 'FROM_CREATION',
      renewalBasis: 'FROM_EXPIRY',
      transferStrategy: 'KEEP_EXPIRY',
      authenticationStrategy: 'TOKEN',
      machineLeasingStrategy: 'PER_LICENSE',
      processLeasingStrategy: 'PER_MACHINE',
      overageStrategy: 'NO_OVERAGE',
      createdAt: now(),
      updatedAt: now(),
      ...attrs,
    });
    await t.ds.manager.save(row);
    return row;
  }

  /** Attaches an entitlement to a policy (in the policy's environment unless told). */
  async function policyEntitlement(
    policyRow: Policy,
    entitlementRow: Entitlement,
    opts: { environment?: Environment | null } = {},
  ): Promise<PolicyEntitlement> {
    const row = Object.assign(new PolicyEntitlement(), {
      id: uuidv4(),
      accountId: policyRow.accountId,
      environmentId: opts.environment !== undefined ? (opts.environment?.id ?? null) : policyRow.environmentId,
      policyId: policyRow.id,
      entitlementId: entitlementRow.id,
      createdAt: now(),
      updatedAt: now(),
    });
    await t.ds.getRepository(PolicyEntitlement).insert(row);
    return row;
  }

  /**
   * A license on a new or given policy with a default-format key and a license token
   * (`auth` = `Bearer <license token>`, `keyAuth` = `License <key>`).
   */
  async function license(
    account: Account,
    opts: Partial<Omit<License, 'id' | 'accountId' | 'policyId' | 'productId' | 'environmentId' | 'ownerId'>> & {
      id?: string;
      policy?: Policy;
      owner?: User | null;
      environment?: Environment | null;
      tokenPermissions?: string[];
    } = {},
  ): Promise<{ license: License; key: string; token: string; auth: Record<string, string>; keyAuth: Record<string, string> }> {
    const { policy: givenPolicy, owner, environment: env, tokenPermissions, id, ...attrs } = opts;
    const pol = givenPolicy ?? (await policy(account, { environment: env ?? null }));
    const row = Object.assign(new License(), {
      id: id ?? uuidv4(),
      accountId: account.id,
      environmentId: env !== undefined ? (env?.id ?? null) : pol.environmentId,
      policyId: pol.id,
      productId: pol.productId,
      ownerId: owner?.id ?? null,
      groupId: null,
      name: null,
      key: generateDefaultKey(),
      keyDigest: null,
      expiry: null,
      suspended: false,
      protected: null,
      uses: 0,
      maxMachines: null,
      maxProcesses: null,
      maxUsers: null,
      maxCores: null,
      maxMemory: null,
      maxDisk: null,
      maxUses: null,
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
      permissions: [...DEFAULT_PERMISSIONS.license],
      metadata: {},
      createdAt: now(),
      updatedAt: now(),
      ...attrs,
    });
    await t.ds.getRepository(License).insert(row as never);
    const tok = await token(
      account,
      { type: 'licenses', id: row.id, role: 'license', environmentId: row.environmentId },
      tokenPermissions ? { permissions: tokenPermissions } : {},
    );
    const envHeader: Record<string, string> = {};
    if (row.environmentId) {
      const e = await t.ds.getRepository(Environment).findOneByOrFail({ id: row.environmentId });
      envHeader['Keygen-Environment'] = e.code;
    }
    return {
      license: row,
      key: row.key as string,
      token: tok.raw,
      auth: { Authorization: `Bearer ${tok.raw}`, ...envHeader },
      keyAuth: { Authorization: `License ${row.key as string}`, ...envHeader },
    };
  }

  /** Attaches a licensee (a user besides the owner) to a license. */
  async function licenseUser(licenseRow: License, userRow: User): Promise<LicenseUser> {
    const row = Object.assign(new LicenseUser(), {
      id: uuidv4(),
      accountId: licenseRow.accountId,
      environmentId: licenseRow.environmentId,
      licenseId: licenseRow.id,
      userId: userRow.id,
      createdAt: now(),
      updatedAt: now(),
    });
    await t.ds.getRepository(LicenseUser).insert(row);
    return row;
  }

  /** Attaches an entitlement to a license directly. */
  async function licenseEntitlement(licenseRow: License, entitlementRow: Entitlement): Promise<LicenseEntitlement> {
    const row = Object.assign(new LicenseEntitlement(), {
      id: uuidv4(),
      accountId: licenseRow.accountId,
      environmentId: licenseRow.environmentId,
      licenseId: licenseRow.id,
      entitlementId: entitlementRow.id,
      createdAt: now(),
      updatedAt: now(),
    });
    await t.ds.getRepository(LicenseEntitlement).insert(row);
    return row;
  }

  /** A machine row on a license (no activation rules run). */
  async function machine(
    licenseRow: License,
    opts: Partial<Omit<Machine, 'id' | 'accountId' | 'licenseId' | 'policyId' | 'productId'>> & { id?: string } = {},
  ): Promise<Machine> {
    const row = Object.assign(new Machine(), {
      id: opts.id ?? uuidv4(),
      accountId: licenseRow.accountId,
      environmentId: licenseRow.environmentId,
      licenseId: licenseRow.id,
      policyId: licenseRow.policyId,
      productId: licenseRow.productId,
      ownerId: null,
      groupId: null,
      fingerprint: `fp-${unique()}`,
      name: null,
      ip: null,
      hostname: null,
      platform: null,
      cores: null,
      memory: null,
      disk: null,
      maxProcesses: null,
      lastHeartbeatAt: null,
      lastDeathEventSentAt: null,
      heartbeatClaimedUntil: null,
      lastCheckOutAt: null,
      metadata: {},
      createdAt: now(),
      updatedAt: now(),
      ...opts,
    });
    await t.ds.getRepository(Machine).insert(row as never);
    return row;
  }

  /** A component row on a machine (no uniqueness rules run). */
  async function machineComponent(
    machineRow: Machine,
    opts: { fingerprint?: string; name?: string } = {},
  ): Promise<MachineComponent> {
    const row = Object.assign(new MachineComponent(), {
      id: uuidv4(),
      accountId: machineRow.accountId,
      environmentId: machineRow.environmentId,
      machineId: machineRow.id,
      fingerprint: opts.fingerprint ?? `component-${unique()}`,
      name: opts.name ?? 'Component',
      metadata: {},
      createdAt: now(),
      updatedAt: now(),
    });
    await t.ds.getRepository(MachineComponent).insert(row as never);
    return row;
  }

  /** A process row on a machine (no limits run), last heartbeat now unless told. */
  async function machineProcess(
    machineRow: Machine,
    opts: { pid?: string; lastHeartbeatAt?: Date } = {},
  ): Promise<MachineProcess> {
    const row = Object.assign(new MachineProcess(), {
      id: uuidv4(),
      accountId: machineRow.accountId,
      environmentId: machineRow.environmentId,
      machineId: machineRow.id,
      pid: opts.pid ?? `pid-${unique()}`,
      lastHeartbeatAt: opts.lastHeartbeatAt ?? now(),
      lastDeathEventSentAt: null,
      heartbeatClaimedUntil: null,
      metadata: {},
      createdAt: now(),
      updatedAt: now(),
    });
    await t.ds.getRepository(MachineProcess).insert(row as never);
    return row;
  }

  /** A pool key for a pooled policy (new unless given), in the policy's environment unless told. */
  async function key(
    account: Account,
    opts: { key?: string; policy?: Policy; environment?: Environment | null } = {},
  ): Promise<Key> {
    const pol = opts.policy ?? (await policy(account, { usePool: true, environment: opts.environment ?? null }));
    const row = Object.assign(new Key(), {
      id: uuidv4(),
      accountId: account.id,
      environmentId: opts.environment !== undefined ? (opts.environment?.id ?? null) : pol.environmentId,
      policyId: pol.id,
      key: opts.key ?? `key-${unique()}-${unique()}`,
      createdAt: now(),
      updatedAt: now(),
    });
    await t.ds.getRepository(Key).insert(row);
    return row;
  }

  return {
    account,
    user,
    token,
    environment,
    secondFactor,
    group,
    groupOwner,
    product,
    entitlement,
    policy,
    policyEntitlement,
    license,
    licenseUser,
    licenseEntitlement,
    machine,
    machineComponent,
    machineProcess,
    key,
    // more factories
  };
}

/** Basic auth header value. */
export function basic(user: string, pass: string): string {
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}

/**
 * Webhook endpoints and events written straight to the database (bypassing the URL
 * rules, so tests can point at a local receiver or a private address).
 */
export function givenWebhooks(t: FactoryHost) {
  const now = (): Date => t.clock.now();

  async function endpoint(
    account: Account,
    opts: {
      url?: string;
      subscriptions?: string[];
      signatureAlgorithm?: WebhookEndpoint['signatureAlgorithm'];
      apiVersion?: string;
      environment?: Environment | null;
      product?: Product | null;
    } = {},
  ): Promise<WebhookEndpoint> {
    const row = Object.assign(new WebhookEndpoint(), {
      id: uuidv4(),
      accountId: account.id,
      environmentId: opts.environment?.id ?? null,
      productId: opts.product?.id ?? null,
      url: opts.url ?? `https://hooks-${unique()}.example.com/keygen`,
      subscriptions: opts.subscriptions ?? ['*'],
      signatureAlgorithm: opts.signatureAlgorithm ?? 'ed25519',
      apiVersion: opts.apiVersion ?? account.apiVersion,
      createdAt: now(),
      updatedAt: now(),
    });
    await t.ds.getRepository(WebhookEndpoint).insert(row);
    t.app.get(WebhookActivityCache).invalidate(account.id);
    return row;
  }

  /** An event as fan-out leaves it (DELIVERING, no attempt yet) unless told. */
  async function event(
    account: Account,
    opts: {
      endpoint?: WebhookEndpoint | null;
      url?: string;
      event?: string;
      payload?: string;
      status?: WebhookEventStatus;
      environment?: Environment | null;
      idempotencyToken?: string;
      apiVersion?: string;
    } = {},
  ): Promise<WebhookEvent> {
    const row = Object.assign(new WebhookEvent(), {
      id: uuidv4(),
      accountId: account.id,
      environmentId: opts.environment !== undefined ? (opts.environment?.id ?? null) : (opts.endpoint?.environmentId ?? null),
      webhookEndpointId: opts.endpoint?.id ?? null,
      event: opts.event ?? 'license.created',
      endpoint: opts.url ?? opts.endpoint?.url ?? 'https://hooks.example.com/keygen',
      apiVersion: opts.apiVersion ?? opts.endpoint?.apiVersion ?? account.apiVersion,
      payload: opts.payload ?? JSON.stringify({ data: { id: uuidv4(), type: 'licenses', attributes: {} } }),
      status: opts.status ?? 'DELIVERING',
      idempotencyToken: opts.idempotencyToken ?? `${uuidv4().replace(/-/g, '')}${uuidv4().replace(/-/g, '').slice(0, 30)}v3`,
      lastResponseCode: null,
      lastResponseBody: null,
      attempts: 0,
      jobId: null,
      createdAt: now(),
      updatedAt: now(),
    });
    await t.ds.getRepository(WebhookEvent).insert(row);
    return row;
  }

  return { endpoint, event };
}

/**
 * Request logs and event logs written straight to the database (filters, pagination
 * and retention tests; recorded logs come from real requests).
 */
export function givenLogs(t: FactoryHost) {
  const now = (): Date => t.clock.now();
  const v7 = (at: Date): string => {
    const h = uuidv4().replace(/-/g, '');
    const ms = at.getTime().toString(16).padStart(12, '0');
    return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${h.slice(13, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };

  async function requestLog(
    account: Account,
    opts: Partial<Omit<RequestLog, 'accountId'>> & { environment?: Environment | null } = {},
  ): Promise<RequestLog> {
    const { environment: env, ...attrs } = opts;
    const createdAt = attrs.createdAt ?? now();
    const row = Object.assign(new RequestLog(), {
      id: v7(createdAt),
      accountId: account.id,
      environmentId: env?.id ?? null,
      requestorType: null,
      requestorId: null,
      resourceType: null,
      resourceId: null,
      method: 'GET',
      url: `/v1/accounts/${account.id}/licenses`,
      status: '200',
      userAgent: 'factory',
      ip: '127.0.0.1',
      requestHeaders: { Accept: 'application/vnd.api+json' },
      requestBody: null,
      responseHeaders: { 'Content-Type': 'application/vnd.api+json; charset=utf-8' },
      responseBody: '{"data":[]}',
      responseSignature: null,
      queueTime: 0,
      runTime: 1,
      createdAt,
      updatedAt: createdAt,
      ...attrs,
    });
    await t.ds.getRepository(RequestLog).insert(row);
    return row;
  }

  async function eventLog(
    account: Account,
    opts: Partial<Omit<EventLog, 'accountId'>> & { environment?: Environment | null } = {},
  ): Promise<EventLog> {
    const { environment: env, ...attrs } = opts;
    const createdAt = attrs.createdAt ?? now();
    const row = Object.assign(new EventLog(), {
      id: v7(createdAt),
      accountId: account.id,
      environmentId: env?.id ?? null,
      event: 'license.created',
      resourceType: 'licenses',
      resourceId: uuidv4(),
      whodunnitType: null,
      whodunnitId: null,
      requestLogId: null,
      metadata: {},
      createdAt,
      updatedAt: createdAt,
      ...attrs,
    });
    await t.ds.getRepository(EventLog).insert(row as never);
    return row;
  }

  return { requestLog, eventLog };
}

import { checkPermissions, enforce } from '@app/common/auth/policy';
import { Injectable } from '@nestjs/common';
import type { Pagination } from '@libs/jsonapi';
import { hasRole } from '@app/common/auth/bearer';
import { ALLOWED_PERMISSIONS, WILDCARD } from '@app/common/auth/permissions';
import type { RequestContext } from '@app/common/context/request-context';
import {
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
  type ApiErrorItem,
} from '@app/common/errors/api-error';
import { DomainEvents } from '@app/common/events/domain-events';
import type { ListResult } from '@app/common/http/render';
import { uuidv4 } from '@app/common/ids';
import { AccountSetting } from './account-setting.entity';
import {
  SETTING_KEYS,
  keyNotAllowed,
  keyTaken,
  valueNotAllowed,
  type SettingKey,
} from './account-settings.errors';
import { AccountSettingsRepository } from './account-settings.repository';
import { AccountSettingSerializer } from './account-settings.serializer';
import { AccountsService } from './accounts.service';

type Action = 'index' | 'show' | 'create' | 'update' | 'destroy';

/** AccountSettingPolicy: reads need `account.read`, writes `account.update`. */
const PERMISSION: Record<Action, string> = {
  index: 'account.read',
  show: 'account.read',
  create: 'account.update',
  update: 'account.update',
  destroy: 'account.update',
};

const NO_REASON = 'ensure the token or license is allowed to access all resources';

const VALUE_RULES: Record<SettingKey, { allowed: ReadonlySet<string>; detail: string }> = {
  default_license_permissions: {
    allowed: new Set([...ALLOWED_PERMISSIONS.license, WILDCARD]),
    detail: 'must be an array of valid license permissions',
  },
  default_user_permissions: {
    allowed: new Set([...ALLOWED_PERMISSIONS.user, WILDCARD]),
    detail: 'must be an array of valid user permissions',
  },
};

function isSettingKey(key: string): key is SettingKey {
  return (SETTING_KEYS as readonly string[]).includes(key);
}

/**
 * Keygen's value rule: an array whose elements are all distinct allowed permissions
 * (`(value & allowed).size == value.size`, so duplicates, nulls and unknowns fail).
 */
function valueErrors(key: string, value: unknown): ApiErrorItem[] {
  if (!isSettingKey(key) || !Array.isArray(value)) {
    return [valueNotAllowed('must be a valid setting')];
  }
  const rule = VALUE_RULES[key];
  const valid = value.filter((v): v is string => typeof v === 'string' && rule.allowed.has(v));
  return new Set(valid).size === value.length ? [] : [valueNotAllowed(rule.detail)];
}

export interface NewSetting {
  key: string;
  value: unknown;
}

/** Account settings (`/settings`): admin and developer only (spec 01 §4). */
@Injectable()
export class AccountSettingsService {
  constructor(
    private readonly repo: AccountSettingsRepository,
    private readonly accounts: AccountsService,
    private readonly events: DomainEvents,
  ) {}

  /**
   * The account's default permissions for new users or licenses, or null when the setting
   * is absent or empty (callers then use the role's built-in default).
   */
  async defaultPermissionsFor(
    ctx: RequestContext,
    kind: 'user' | 'license',
  ): Promise<string[] | null> {
    const setting = await this.repo.findByKey(ctx.scope, `default_${kind}_permissions`);
    const value = setting?.value;
    return Array.isArray(value) && value.length > 0 ? (value as string[]) : null;
  }

  async list(ctx: RequestContext, pagination: Pagination): Promise<ListResult<AccountSetting>> {
    this.authorize(ctx, 'index');
    return this.repo.list(ctx.scope, pagination);
  }

  async show(ctx: RequestContext, idOrKey: string): Promise<AccountSetting> {
    const setting = await this.find(ctx, idOrKey);
    this.authorize(ctx, 'show');
    return setting;
  }

  async create(ctx: RequestContext, input: NewSetting): Promise<AccountSetting> {
    this.authorize(ctx, 'create');
    // Model validations in Keygen's order: key uniqueness, key inclusion, then the value.
    const errors: ApiErrorItem[] = [];
    if (await this.repo.keyTaken(ctx.scope, input.key)) {
      errors.push(keyTaken());
    }
    if (!isSettingKey(input.key)) {
      errors.push(keyNotAllowed());
    }
    errors.push(...valueErrors(input.key, input.value));
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }
    const now = ctx.clock.now();
    const setting = Object.assign(new AccountSetting(), {
      id: uuidv4(),
      accountId: ctx.account.account.id,
      key: input.key,
      value: input.value,
      createdAt: now,
      updatedAt: now,
    });
    await this.repo.insert(setting);
    await this.accounts.touch(setting.accountId, now);
    this.emit('account.settings.created', ctx, setting);
    return setting;
  }

  async update(
    ctx: RequestContext,
    idOrKey: string,
    params: () => unknown,
  ): Promise<AccountSetting> {
    const setting = await this.find(ctx, idOrKey);
    this.authorize(ctx, 'update');
    const value = params();
    const errors = valueErrors(setting.key, value);
    if (errors.length > 0) {
      throw new UnprocessableError(errors);
    }
    // Like an ActiveRecord update, an unchanged value writes nothing (but still emits).
    if (JSON.stringify(setting.value) !== JSON.stringify(value)) {
      const now = ctx.clock.now();
      await this.repo.updateValue(ctx.scope, setting.id, value, now);
      await this.accounts.touch(setting.accountId, now);
      setting.value = value;
      setting.updatedAt = now;
    }
    this.emit('account.settings.updated', ctx, setting);
    return setting;
  }

  async destroy(ctx: RequestContext, idOrKey: string): Promise<void> {
    const setting = await this.find(ctx, idOrKey);
    this.authorize(ctx, 'destroy');
    await this.repo.delete(ctx.scope, setting.id);
    await this.accounts.touch(setting.accountId, ctx.clock.now());
    this.emit('account.settings.deleted', ctx, setting);
  }

  /** Looked up inside the bearer's scope: everyone but admins and developers sees none (404). */
  private async find(ctx: RequestContext, idOrKey: string): Promise<AccountSetting> {
    const setting = hasRole(ctx.bearer, 'admin', 'developer')
      ? await this.repo.findByIdOrKey(ctx.scope, idOrKey)
      : null;
    if (!setting) {
      throw NotFoundError.record('account setting', idOrKey);
    }
    return setting;
  }

  /** AccountSettingPolicy: permissions → environment (writes are strict) → admin/developer. */
  private authorize(ctx: RequestContext, action: Action): void {
    const bearer = ctx.bearer;
    if (!bearer) {
      throw ForbiddenError.because('authentication is required');
    }
    const permission = PERMISSION[action];
    enforce(
      checkPermissions(bearer, ctx.token ? (ctx.permissions ?? new Set()) : null, [permission]),
    );
    // Settings have no environment: writes from inside one are refused, reads are not.
    const strict = action !== 'index' && action !== 'show';
    if (strict && ctx.environment) {
      throw ForbiddenError.because('record is not compatible with the current environment');
    }
    if (!hasRole(bearer, 'admin', 'developer')) {
      throw ForbiddenError.because(NO_REASON);
    }
  }

  private emit(name: string, ctx: RequestContext, setting: AccountSetting): void {
    this.events.emit(name, ctx, {
      type: 'settings',
      id: setting.id,
      record: setting,
      serializer: AccountSettingSerializer as never,
    });
  }
}

import { isAdminFamily, type Bearer } from '@app/common/auth/bearer';
import {
  type Decision,
  deny,
  chain,
  checkPermissions,
  fitsEnvironment,
  environmentView,
} from '@app/common/auth/policy';
import { roleWords, type Role } from '@app/common/auth/roles';
import type { RequestContext } from '@app/common/context/request-context';
import { ForbiddenError } from '@app/common/errors/api-error';
import type { IsolationStrategy } from '@app/modules/environments/environment.entity';

/**
 * Record-level rules for groups, their owners and members (Keygen's GroupPolicy,
 * Groups::GroupOwnerPolicy, Groups::UserPolicy, Users::GroupPolicy), as pure functions
 * of the request's facts. Each rule runs Keygen's order — permission → environment
 * (bearer, token, context records, then the record) → role — and returns the first denial.
 */

/** What the rules need to know about the request. */
export interface GroupPolicyFacts {
  bearer: Bearer;
  /** The token that authenticated the request (its effective permissions), if any. */
  token: { permissions: ReadonlySet<string>; environmentId: string | null } | null;
  /** The current environment; null is the global environment. */
  environment: { id: string; isolationStrategy: IsolationStrategy } | null;
  /** The group a user or license bearer belongs to. */
  memberOf: string | null;
  /** Groups a user bearer owns (empty for everyone else). */
  owns: readonly string[];
}

/** The facts about a record the environment rule looks at. */
interface Environmental {
  environmentId: string | null;
}

/** The facts about a user the member rules look at. */
export interface MemberFacts extends Environmental {
  id: string;
  role: Role;
  groupId: string | null;
}

/** The group a user or license bearer belongs to (`group_id` on its record). */
export function bearerGroupId(bearer: Bearer | null): string | null {
  if (!bearer || (bearer.type !== 'users' && bearer.type !== 'licenses')) {
    return null;
  }
  const groupId = (bearer.record as { groupId?: unknown } | null)?.groupId;
  return typeof groupId === 'string' ? groupId : null;
}

/** Builds the facts; `owns` are the bearer's owned group ids (users only). */
export function groupFacts(ctx: RequestContext, owns: readonly string[] = []): GroupPolicyFacts {
  if (!ctx.bearer) {
    throw ForbiddenError.because('authentication is required');
  }
  return {
    bearer: ctx.bearer,
    token: ctx.token
      ? { permissions: ctx.permissions ?? new Set(), environmentId: ctx.token.environmentId }
      : null,
    environment: ctx.environment,
    memberOf: bearerGroupId(ctx.bearer),
    owns,
  };
}

/** verify_permissions!: the bearer's own set, then the token's. */
function permitted(f: GroupPolicyFacts, permission: string): Decision {
  return checkPermissions(f.bearer, f.token?.permissions ?? null, [permission]);
}

/** Compatibility of a bearer, token or context record with the current environment. */
function fits(f: GroupPolicyFacts, envId: string | null, globalAdminEscapes = false): boolean {
  return fitsEnvironment(
    environmentView(f.environment),
    envId,
    globalAdminEscapes && f.bearer.role === 'admin',
  );
}

/** The record rule: reads (`strict` false) may also see global records from anywhere. */
function recordFits(f: GroupPolicyFacts, envId: string | null, strict: boolean): boolean {
  const current = f.environment;
  if (!current) {
    return !strict || envId === null;
  }
  if (current.isolationStrategy === 'ISOLATED') {
    return envId === current.id;
  }
  return envId === current.id || (!strict && envId === null);
}

type RecordArg = { one: Environmental | null } | { many: readonly Environmental[] };

/**
 * verify_environment!: bearer, token, each named context record (`group`, `user`),
 * then the record or records.
 */
function environmentDecision(
  f: GroupPolicyFacts,
  strict: boolean,
  contexts: ReadonlyArray<[string, Environmental]>,
  record: RecordArg,
): Decision {
  if (!fits(f, f.bearer.environmentId, true)) {
    return deny(
      `${roleWords(f.bearer.role)} environment is not compatible with the current environment`,
    );
  }
  if (f.token && !fits(f, f.token.environmentId)) {
    return deny('token environment is not compatible with the current environment');
  }
  for (const [name, model] of contexts) {
    if (!fits(f, model.environmentId)) {
      return deny(`${name} environment is not compatible with the current environment`);
    }
  }
  if ('many' in record) {
    if (record.many.length === 0) {
      return !strict || !f.environment
        ? true
        : deny('records are not compatible with the current environment');
    }
    return record.many.every((r) => recordFits(f, r.environmentId, strict))
      ? true
      : deny("a record's environment is not compatible with the current environment");
  }
  if (record.one === null) {
    return !strict || !f.environment
      ? true
      : deny('record is not compatible with the current environment');
  }
  return recordFits(f, record.one.environmentId, strict)
    ? true
    : deny('record environment is not compatible with the current environment');
}

/** admin-family, product and environment bearers read every group in reach. */
const readsAllGroups = (b: Bearer): boolean =>
  isAdminFamily(b) || b.role === 'product' || b.role === 'environment';

/** A user bearer's member-or-owner rule, a license bearer's member rule. */
function reachesGroup(f: GroupPolicyFacts, groupId: string): boolean {
  if (f.bearer.role === 'user') {
    return groupId === f.memberOf || f.owns.includes(groupId);
  }
  if (f.bearer.role === 'license') {
    return groupId === f.memberOf;
  }
  return false;
}

const managesGroups = (b: Bearer): Decision =>
  b.role === 'admin' || b.role === 'developer' || b.role === 'product' || b.role === 'environment'
    ? true
    : deny();

/** Which groups a bearer can address at all (lookups outside it are 404s). */
export type GroupScopeFilter = { kind: 'all' } | { kind: 'ids'; ids: string[] };

/** Which members of a group a bearer can list (applied on top of the environment rule). */
export type MemberScopeFilter = { kind: 'all' } | { kind: 'none' };

export const groupPolicy = {
  /** authorized_scope for groups: user → member or owner, license → its group. */
  scope(f: GroupPolicyFacts): GroupScopeFilter {
    if (readsAllGroups(f.bearer)) {
      return { kind: 'all' };
    }
    if (f.bearer.role === 'user') {
      return { kind: 'ids', ids: [...(f.memberOf ? [f.memberOf] : []), ...f.owns] };
    }
    if (f.bearer.role === 'license') {
      return { kind: 'ids', ids: f.memberOf ? [f.memberOf] : [] };
    }
    return { kind: 'ids', ids: [] };
  },

  index(f: GroupPolicyFacts, groups: ReadonlyArray<Environmental & { id: string }>): Decision {
    return chain(
      () => permitted(f, 'group.read'),
      () => environmentDecision(f, false, [], { many: groups }),
      () =>
        readsAllGroups(f.bearer) ||
        ((f.bearer.role === 'user' || f.bearer.role === 'license') &&
          groups.every((g) => reachesGroup(f, g.id)))
          ? true
          : deny(),
    );
  },

  show(f: GroupPolicyFacts, group: Environmental & { id: string }): Decision {
    return chain(
      () => permitted(f, 'group.read'),
      () => environmentDecision(f, false, [], { one: group }),
      () => (readsAllGroups(f.bearer) || reachesGroup(f, group.id) ? true : deny()),
    );
  },

  /** `group` is the record as built from the params (its environment). */
  create(f: GroupPolicyFacts, group: Environmental): Decision {
    return chain(
      () => permitted(f, 'group.create'),
      () => environmentDecision(f, true, [], { one: group }),
      () => managesGroups(f.bearer),
    );
  },

  update(f: GroupPolicyFacts, group: Environmental): Decision {
    return chain(
      () => permitted(f, 'group.update'),
      () => environmentDecision(f, true, [], { one: group }),
      () => managesGroups(f.bearer),
    );
  },

  destroy(f: GroupPolicyFacts, group: Environmental): Decision {
    return chain(
      () => permitted(f, 'group.delete'),
      () => environmentDecision(f, true, [], { one: group }),
      () => managesGroups(f.bearer),
    );
  },
};

type GroupFacts = Environmental & { id: string };

function readsOwners(f: GroupPolicyFacts, group: GroupFacts): Decision {
  return readsAllGroups(f.bearer) || reachesGroup(f, group.id) ? true : deny();
}

export const groupOwnerPolicy = {
  index(f: GroupPolicyFacts, group: GroupFacts, owners: readonly Environmental[]): Decision {
    return chain(
      () => permitted(f, 'group.owners.read'),
      () => environmentDecision(f, false, [['group', group]], { many: owners }),
      () => readsOwners(f, group),
    );
  },

  show(f: GroupPolicyFacts, group: GroupFacts, owner: Environmental): Decision {
    return chain(
      () => permitted(f, 'group.owners.read'),
      () => environmentDecision(f, false, [['group', group]], { one: owner }),
      () => readsOwners(f, group),
    );
  },

  /**
   * `users` are the account's users named in the body (unknown ids left out). Joins on a
   * global group are strict; on an environment's group, global users may be attached.
   */
  attach(f: GroupPolicyFacts, group: GroupFacts, users: readonly Environmental[]): Decision {
    return chain(
      () => permitted(f, 'group.owners.attach'),
      () =>
        environmentDecision(f, group.environmentId === null, [['group', group]], { many: users }),
      () => managesGroups(f.bearer),
    );
  },

  detach(f: GroupPolicyFacts, group: GroupFacts, users: readonly Environmental[]): Decision {
    return chain(
      () => permitted(f, 'group.owners.detach'),
      () =>
        environmentDecision(f, group.environmentId === null, [['group', group]], { many: users }),
      () => managesGroups(f.bearer),
    );
  },
};

/** Staff and environments see every member; products theirs; owners their groups'. */
function readsMembers(f: GroupPolicyFacts, members: readonly MemberFacts[]): Decision {
  const b = f.bearer;
  if (isAdminFamily(b) || b.role === 'environment' || b.role === 'product') {
    return true;
  }
  if (b.role === 'user') {
    return f.owns.length > 0 &&
      members.every((m) => m.groupId !== null && f.owns.includes(m.groupId))
      ? true
      : deny();
  }
  return deny();
}

export const groupUserPolicy = {
  /** Groups::UserPolicy scope: products see users of their licenses, owners their groups'. */
  scope(f: GroupPolicyFacts, group: { id: string }): MemberScopeFilter {
    const b = f.bearer;
    if (isAdminFamily(b) || b.role === 'environment') {
      return { kind: 'all' };
    }
    if (b.role === 'user') {
      return f.owns.includes(group.id) ? { kind: 'all' } : { kind: 'none' };
    }
    // NOTE: a product sees the users holding licenses of its own; licenses are not there yet.
    return { kind: 'none' };
  },

  index(f: GroupPolicyFacts, group: GroupFacts, users: readonly MemberFacts[]): Decision {
    return chain(
      () => permitted(f, 'group.users.read'),
      () => environmentDecision(f, false, [['group', group]], { many: users }),
      () => readsMembers(f, users),
    );
  },

  show(f: GroupPolicyFacts, group: GroupFacts, user: MemberFacts): Decision {
    return chain(
      () => permitted(f, 'group.users.read'),
      () => environmentDecision(f, false, [['group', group]], { one: user }),
      () => readsMembers(f, [user]),
    );
  },
};

export const userGroupPolicy = {
  /** GET /users/{id}/group; `group` is null when the user has none. */
  show(f: GroupPolicyFacts, user: MemberFacts, group: Environmental | null): Decision {
    return chain(
      () => permitted(f, 'group.read'),
      () => environmentDecision(f, false, [['user', user]], { one: group }),
      () => {
        const b = f.bearer;
        if (isAdminFamily(b) || b.role === 'environment') {
          return true;
        }
        if (b.role === 'product') {
          return user.role === 'user' ? true : deny();
        }
        return b.role === 'user' && b.type === 'users' && b.id === user.id ? true : deny();
      },
    );
  },

  /** PUT /users/{id}/group. */
  update(f: GroupPolicyFacts, user: MemberFacts): Decision {
    return chain(
      () => permitted(f, 'user.group.update'),
      () => environmentDecision(f, true, [['user', user]], { one: user }),
      () => {
        const b = f.bearer;
        if (['admin', 'developer', 'sales-agent', 'environment'].includes(b.role)) {
          return true;
        }
        return b.role === 'product' && user.role === 'user' ? true : deny();
      },
    );
  },
};

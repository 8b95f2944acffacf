import { UnprocessableError, type ApiErrorItem } from '@app/common/errors/api-error';

/** Keygen's docs anchor for a model error (spec 00 §4.5.7). */
function about(topic: string, kind: 'attrs' | 'relationships', name: string): string {
  return `https://keygen.sh/docs/api/${topic}/#${topic}-object-${kind}-${name}`;
}

/** A `groups` model error on `/data/attributes/<attr>`. */
export function groupAttributeError(attr: string, code: string, detail: string): ApiErrorItem {
  return {
    code,
    detail,
    source: { pointer: `/data/attributes/${attr}` },
    links: { about: about('groups', 'attrs', attr) },
  };
}

/** Kinds of records a group holds and limits (spec 01 §8.3.1). */
export type GroupMemberKind = 'users' | 'licenses' | 'machines';

const LIMIT: Record<GroupMemberKind, { code: string; noun: string }> = {
  users: { code: 'GROUP_USER_LIMIT_EXCEEDED', noun: 'user' },
  licenses: { code: 'GROUP_LICENSE_LIMIT_EXCEEDED', noun: 'license' },
  machines: { code: 'GROUP_MACHINE_LIMIT_EXCEEDED', noun: 'machine' },
};

/** The member's `group` relationship error (reported on the user/license/machine). */
function memberGroupError(kind: GroupMemberKind, code: string, detail: string): ApiErrorItem {
  return {
    code,
    detail,
    source: { pointer: '/data/relationships/group' },
    links: { about: about(kind, 'relationships', 'group') },
  };
}

/** `<noun> count has exceeded maximum allowed by current group (<n>)`. */
export function groupLimitExceeded(kind: GroupMemberKind, max: number): ApiErrorItem {
  const { code, noun } = LIMIT[kind];
  return memberGroupError(
    kind,
    code,
    `${noun} count has exceeded maximum allowed by current group (${max})`,
  );
}

/** Unknown group id in a member's `group` relationship. */
export function groupNotFound(kind: GroupMemberKind): ApiErrorItem {
  return memberGroupError(kind, 'GROUP_NOT_FOUND', 'must exist');
}

/** A member whose environment cannot hold the group (spec 01 §3.3.4). */
export function groupEnvironmentNotAllowed(kind: GroupMemberKind): ApiErrorItem {
  return {
    code: 'ENVIRONMENT_NOT_ALLOWED',
    detail: 'must be compatible with group environment',
    source: { pointer: '/data/relationships/environment' },
    links: { about: about(kind, 'relationships', 'environment') },
  };
}

/** A `group-owners` model error on its `user` relationship (owner attach). */
export function ownerUserError(code: 'USER_TAKEN' | 'USER_NOT_FOUND'): ApiErrorItem {
  return {
    code,
    detail: code === 'USER_TAKEN' ? 'already exists' : 'must exist',
    source: { pointer: '/data/relationships/user' },
    links: { about: about('group-owners', 'relationships', 'user') },
  };
}

/** Owner detach naming a user that does not own the group (hand-rendered, no code). */
export function ownerRelationshipNotFound(
  userId: string,
  index: number | null,
): UnprocessableError {
  return new UnprocessableError(
    {
      detail: `owner relationship for user '${userId}' not found`,
      // compat: Keygen interpolates a missing index as an empty string ("/data/").
      source: { pointer: `/data/${index ?? ''}` },
    },
    'Unprocessable entity',
  );
}

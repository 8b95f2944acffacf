import { metadataModelError } from '@libs/jsonapi';
import type { ApiErrorItem } from '@app/common/errors/api-error';
import { isUuidLike } from '@app/common/ids';
import { ISOLATION_STRATEGIES } from './environment.entity';

/** Codes Keygen reserves for URL aliases. */
const RESERVED_CODES = ['actions', 'action'];
const EMAIL_RE = /^[^@\s]+@((?:[-a-z0-9]+\.)+[a-z]{2,})$/i;
const MAX_LENGTH = 255;

const about = (hash: string): { about: string } => ({
  about: `https://keygen.sh/docs/api/environments/#environments-object-${hash}`,
});

const length = (s: string): number => [...s].length;
const tooLong = (max: number): string => `is too long (maximum is ${max} characters)`;

function attributeError(attr: string, code: string, detail: string): ApiErrorItem {
  return {
    detail,
    code,
    source: { pointer: `/data/attributes/${attr}` },
    links: about(`attrs-${attr}`),
  };
}

/** Attribute values being written (create: all present; update: the changed ones). */
export interface EnvironmentFields {
  name?: string;
  code?: string;
  isolationStrategy?: string;
}

/** Model validation of an environment, in Keygen's order (code, name, isolation strategy). */
export function environmentErrors(
  fields: EnvironmentFields,
  facts: { codeTaken: boolean },
): ApiErrorItem[] {
  const errors: ApiErrorItem[] = [];
  const { code, name, isolationStrategy } = fields;
  if (code !== undefined) {
    if (RESERVED_CODES.includes(code)) {
      errors.push(attributeError('code', 'CODE_NOT_ALLOWED', 'is reserved'));
    }
    if (facts.codeTaken) {
      errors.push(attributeError('code', 'CODE_TAKEN', 'has already been taken'));
    }
    if (length(code) > MAX_LENGTH) {
      errors.push(attributeError('code', 'CODE_TOO_LONG', tooLong(MAX_LENGTH)));
    }
    if (isUuidLike(code)) {
      errors.push(attributeError('code', 'CODE_INVALID', 'is invalid'));
    }
  }
  if (name !== undefined && length(name) > MAX_LENGTH) {
    errors.push(attributeError('name', 'NAME_TOO_LONG', tooLong(MAX_LENGTH)));
  }
  if (
    isolationStrategy !== undefined &&
    !(ISOLATION_STRATEGIES as readonly string[]).includes(isolationStrategy)
  ) {
    errors.push(
      attributeError(
        'isolationStrategy',
        'ISOLATION_STRATEGY_NOT_ALLOWED',
        'unsupported isolation strategy',
      ),
    );
  }
  return errors;
}

/** A founding admin embedded in `relationships.admins.data[]` (email already normalised). */
export interface NewAdmin {
  email: string;
  password: string | null;
  firstName: string | null;
  lastName: string | null;
  metadata: Record<string, unknown>;
}

/**
 * Model validation of the embedded admins.
 *
 * compat: Keygen validates them as the environment's nested `users` without indexed
 * errors, so every admin's error points at `/data/relationships/users/data/attributes/<attr>`
 * with a `USERS_<ATTR>_<KIND>` code, errors are grouped by attribute and identical
 * ones collapse (unlike account creation, which remaps to `admins/data/<i>`).
 */
export function adminErrors(
  admins: readonly NewAdmin[],
  takenEmails: ReadonlySet<string>,
): ApiErrorItem[] {
  const groups = new Map<string, ApiErrorItem[]>();
  const add = (attr: string, kind: string, detail: string): void => {
    const code = `USERS_${attr.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_${kind}`;
    const item: ApiErrorItem = {
      detail,
      code,
      source: { pointer: `/data/relationships/users/data/attributes/${attr}` },
      links: about('relationships-users'),
    };
    const group = groups.get(attr) ?? [];
    if (!group.some((e) => e.code === code)) {
      group.push(item);
    }
    groups.set(attr, group);
  };
  for (const admin of admins) {
    if (!EMAIL_RE.test(admin.email)) {
      add('email', 'INVALID', 'is invalid');
    }
    if (length(admin.email) > MAX_LENGTH) {
      add('email', 'TOO_LONG', tooLong(MAX_LENGTH));
    }
    if (takenEmails.has(admin.email)) {
      add('email', 'TAKEN', 'has already been taken');
    }
    if (admin.password !== null && length(admin.password) < 6) {
      add('password', 'TOO_SHORT', 'is too short (minimum is 6 characters)');
    }
    if (admin.password !== null && length(admin.password) > 72) {
      add('password', 'TOO_LONG', tooLong(72));
    }
    if (admin.firstName !== null && length(admin.firstName) > MAX_LENGTH) {
      add('firstName', 'TOO_LONG', tooLong(MAX_LENGTH));
    }
    if (admin.lastName !== null && length(admin.lastName) > MAX_LENGTH) {
      add('lastName', 'TOO_LONG', tooLong(MAX_LENGTH));
    }
    const metadata = metadataModelError(admin.metadata);
    if (metadata !== null) {
      add('metadata', 'TOO_LONG', metadata);
    }
  }
  return [...groups.values()].flat();
}

/** Keygen's `normalizes :email` (strip + downcase). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

import { snakeizeKeys } from '@libs/jsonapi';
import { CURRENT_API_VERSION, versionLte } from './versions';

/**
 * Response migrations (spec 00 §7): the handler always builds the current
 * version; each migration whose version is >= the requested version rewrites the
 * body and headers, newest first. Resource modules add their own with
 * `registerResponseMigration` at import time.
 */
export interface MigrationInput {
  method: string;
  /** Route path pattern, e.g. /v1/accounts/:account/tokens */
  route: string;
  status: number;
  body: Record<string, unknown> | undefined;
  headers: Record<string, string>;
}

export interface ResponseMigration {
  /** Applies when the requested version <= this version. */
  version: string;
  name: string;
  transform(input: MigrationInput): void;
}

const registry: ResponseMigration[] = [];

export function registerResponseMigration(m: ResponseMigration): void {
  registry.push(m);
  registry.sort((a, b) => (versionLte(a.version, b.version) ? 1 : -1));
}

/**
 * Migrates a body built at `from` (the current version unless given, e.g. a stored
 * webhook payload) down to `requested`: the migrations with requested <= V < from.
 */
export function applyResponseMigrations(
  requested: string,
  input: MigrationInput,
  from: string = CURRENT_API_VERSION,
): void {
  // Fast path: no migration targets the current version, and most requests ask for it.
  if (requested === from || versionLte(from, requested)) {
    return;
  }
  for (const m of registry) {
    if (versionLte(requested, m.version) && !versionLte(from, m.version)) {
      m.transform(input);
    }
  }
}

const PASSWORD_CODES = new Set([
  'EMAIL_REQUIRED',
  'EMAIL_INVALID',
  'PASSWORD_REQUIRED',
  'PASSWORD_INVALID',
  'PASSWORD_NOT_SUPPORTED',
]);

registerResponseMigration({
  version: '1.7',
  name: 'credentials-invalid',
  transform({ method, route, status, body }) {
    if (status !== 401 || method !== 'POST' || !/\/tokens$/.test(route) || !body) {
      return;
    }
    for (const e of (body.errors as Array<Record<string, unknown>>) ?? []) {
      if (PASSWORD_CODES.has(e.code as string)) {
        e.code = 'CREDENTIALS_INVALID';
        e.detail = 'email and password must be valid';
      }
    }
  },
});

function snakeNestedMetadata(resource: unknown): void {
  if (!resource || typeof resource !== 'object') {
    return;
  }
  const attrs = (resource as { attributes?: Record<string, unknown> }).attributes;
  const md = attrs?.metadata;
  if (md && typeof md === 'object' && !Array.isArray(md)) {
    attrs.metadata = Object.fromEntries(
      Object.entries(md as Record<string, unknown>).map(([k, v]) => [k, snakeizeKeys(v)]),
    );
  }
}

registerResponseMigration({
  version: '1.4',
  name: 'nested-metadata-snake-case',
  transform({ status, body }) {
    if (status >= 400 || !body) {
      return;
    }
    const data = body.data;
    for (const r of Array.isArray(data) ? data : [data]) {
      snakeNestedMetadata(r);
    }
    for (const r of (body.included as unknown[]) ?? []) {
      snakeNestedMetadata(r);
    }
  },
});

registerResponseMigration({
  version: '1.3',
  name: 'id-suffixed-headers',
  transform({ headers }) {
    for (const name of ['Keygen-Account', 'Keygen-Bearer', 'Keygen-Token']) {
      if (name in headers) {
        headers[`${name}-Id`] = headers[name];
        delete headers[name];
      }
    }
  },
});

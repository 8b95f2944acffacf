import type { Response } from 'supertest';
import type { UserRole } from '@app/common/auth/roles';
import type { Group } from '@app/modules/groups/group.entity';

export const FORBIDDEN = 'You do not have permission to complete the request';
export const FORBIDDEN_BEARER = `${FORBIDDEN} (ensure the token or license is allowed to access all resources)`;
export const RECORD_ENV = `${FORBIDDEN} (record environment is not compatible with the current environment)`;
export const RECORDS_ENV = `${FORBIDDEN} (a record's environment is not compatible with the current environment)`;

/** Staff roles that are not allowed to manage groups. */
export const READ_ONLY_STAFF: UserRole[] = ['sales-agent', 'support-agent', 'read-only'];

/** Every response produced after account resolution is signed. */
export function expectSigned(res: Response): void {
  expect(res.headers['keygen-signature']).toMatch(
    /^keyid="[0-9a-f-]{36}", algorithm="ed25519", signature="/,
  );
  expect(res.headers.digest).toMatch(/^sha-256=/);
}

/** The single error of a response. */
export function onlyError(res: Response): Record<string, unknown> {
  expect(res.body.errors).toHaveLength(1);
  return res.body.errors[0] as Record<string, unknown>;
}

/** A 403 policy denial with the given detail (no code). */
export function expectForbidden(res: Response, detail = FORBIDDEN_BEARER): void {
  expect(res.status).toBe(403);
  expect(res.body.errors).toEqual([{ title: 'Access denied', detail }]);
}

/** A 404 for a record by id. */
export function expectNotFound(res: Response, model: string, id: string): void {
  expect(res.status).toBe(404);
  expect(res.body.errors).toEqual([
    {
      title: 'Not found',
      detail: `The requested ${model} '${id}' was not found`,
      code: 'NOT_FOUND',
    },
  ]);
}

/** A 400 typed-params error. */
export function expectBadRequest(res: Response, detail: string, pointer: string): void {
  expect(res.status).toBe(400);
  expect(res.body.errors).toEqual([{ title: 'Bad request', detail, source: { pointer } }]);
}

/** The exact `groups` resource Keygen renders. */
export function groupResource(g: Group): Record<string, unknown> {
  const base = `/v1/accounts/${g.accountId}`;
  const self = `${base}/groups/${g.id}`;
  return {
    id: g.id,
    type: 'groups',
    attributes: {
      name: g.name,
      maxUsers: g.maxUsers,
      maxLicenses: g.maxLicenses,
      maxMachines: g.maxMachines,
      metadata: g.metadata,
      created: g.createdAt.toISOString(),
      updated: g.updatedAt.toISOString(),
    },
    relationships: {
      account: { links: { related: base }, data: { type: 'accounts', id: g.accountId } },
      environment: g.environmentId
        ? {
            links: { related: `${base}/environments/${g.environmentId}` },
            data: { type: 'environments', id: g.environmentId },
          }
        : { links: { related: null }, data: null },
      owners: { links: { related: `${self}/owners` } },
      users: { links: { related: `${self}/users` } },
      licenses: { links: { related: `${self}/licenses` } },
      machines: { links: { related: `${self}/machines` } },
    },
    links: { self },
  };
}

/** `{ data: { type: 'groups', attributes, relationships? } }` */
export function groupDoc(
  attributes: Record<string, unknown> | undefined,
  extra: { relationships?: Record<string, unknown>; type?: string; id?: string } = {},
): Record<string, unknown> {
  const data: Record<string, unknown> = { type: extra.type ?? 'groups' };
  if (extra.id !== undefined) {
    data.id = extra.id;
  }
  if (attributes !== undefined) {
    data.attributes = attributes;
  }
  if (extra.relationships) {
    data.relationships = extra.relationships;
  }
  return { data };
}

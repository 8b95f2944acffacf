import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type { Bearer, BearerType } from '@app/common/auth/bearer';
import {
  AUTHORIZE_KEY,
  PUBLIC_KEY,
  type PermissionSpec,
  type PublicOptions,
} from '@app/common/auth/decorators';
import { ALL_PERMISSIONS } from '@app/common/auth/permissions';
import { USER_ROLES, type Role } from '@app/common/auth/roles';
import { RAW_KEY, RENDER_KEY } from '@app/common/http/render';
import { bootApp, type TestApp } from '../../support/app';

interface RouteHandler {
  id: string;
  method: string;
  path: string;
  controller: Function; // eslint-disable-line @typescript-eslint/no-unsafe-function-type
  handler: Function; // eslint-disable-line @typescript-eslint/no-unsafe-function-type
}

const KNOWN: ReadonlySet<string> = new Set(ALL_PERMISSIONS);

const SAMPLE_BEARERS: Bearer[] = [
  ...USER_ROLES.map((role) => sample('users', role)),
  sample('products', 'product'),
  sample('licenses', 'license'),
  sample('environments', 'environment'),
];

function sample(type: BearerType, role: Role): Bearer {
  return {
    type,
    id: '00000000-0000-4000-8000-000000000000',
    role,
    permissions: ['*'],
    environmentId: null,
    bannedAt: null,
    record: {},
  };
}

const joinPath = (...parts: string[]): string =>
  `/${parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/')}`;

/** Every controller handler the running application registered, read from Nest's container. */
function registeredHandlers(t: TestApp): RouteHandler[] {
  const out: RouteHandler[] = [];
  for (const mod of t.app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const ctrl = wrapper.metatype as Function | null; // eslint-disable-line @typescript-eslint/no-unsafe-function-type
      if (!ctrl) {
        continue;
      }
      const base = Reflect.getMetadata(PATH_METADATA, ctrl) as string | string[] | undefined;
      const proto = ctrl.prototype as Record<string, unknown>;
      const names = new Set<string>();
      for (
        let p: object | null = proto;
        p && p !== Object.prototype;
        p = Object.getPrototypeOf(p) as object | null
      ) {
        Object.getOwnPropertyNames(p).forEach((n) => names.add(n));
      }
      for (const name of names) {
        const fn = proto[name];
        if (name === 'constructor' || typeof fn !== 'function') {
          continue;
        }
        const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
        const sub = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
        if (method === undefined || sub === undefined) {
          continue;
        }
        for (const b of Array.isArray(base) ? base : [base ?? '']) {
          for (const s of Array.isArray(sub) ? sub : [sub]) {
            const path = joinPath(b, s);
            out.push({
              id: `${RequestMethod[method]} ${path} (${ctrl.name}.${name})`,
              method: RequestMethod[method],
              path,
              controller: ctrl,
              handler: fn as Function, // eslint-disable-line @typescript-eslint/no-unsafe-function-type
            });
          }
        }
      }
    }
  }
  return out;
}

function permissionProblems(spec: PermissionSpec): string[] {
  const check = (value: unknown, via: string): string[] => {
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list)) {
      return [`${via}returned ${JSON.stringify(value)} (expected a permission or a list)`];
    }
    return list
      .filter((p) => typeof p !== 'string' || !KNOWN.has(p))
      .map((p) => `${via}unknown permission ${JSON.stringify(p)}`);
  };
  if (typeof spec === 'function') {
    return SAMPLE_BEARERS.flatMap((b) => {
      try {
        return check(spec(b), `for a ${b.role} bearer: `);
      } catch (e) {
        return [`for a ${b.role} bearer: threw ${(e as Error).message}`];
      }
    });
  }
  return check(spec, '');
}

/**
 * STYLE §3/§9: every handler declares exactly one of @Authorize / @Public, with
 * permissions from the catalogue, and JSON:API handlers declare how they render.
 * Walks whatever is registered, so it keeps guarding routes as modules are added.
 */
describe('route declarations', () => {
  let t: TestApp;
  let handlers: RouteHandler[];
  const reflector = new Reflector();

  beforeAll(async () => {
    t = await bootApp();
    handlers = registeredHandlers(t);
  });
  afterAll(() => t.close());

  it('finds the registered routes (sanity)', () => {
    expect(handlers.length).toBeGreaterThan(0);
    expect(handlers.map((h) => `${h.method} ${h.path}`)).toEqual(
      expect.arrayContaining(['GET /v1/accounts/:account', 'PATCH /v1/accounts/:account']),
    );
  });

  it('agrees with the Express router (no route escapes the walk)', () => {
    const router =
      (t.app.getHttpAdapter().getInstance() as any).router ??
      (t.app.getHttpAdapter().getInstance() as any)._router;
    const layers: Array<{ route?: { path: string; methods: Record<string, boolean> } }> =
      router?.stack ?? [];
    const express = layers
      .filter((l) => l.route)
      .flatMap((l) =>
        Object.keys(l.route!.methods).map((m) => `${m.toUpperCase()} ${l.route!.path}`),
      );
    const walked = new Set(handlers.map((h) => `${h.method} ${h.path}`));
    const missing = express.filter((r) => !walked.has(r) && !walked.has(r.replace(/\/$/, '')));
    expect(express.length).toBeGreaterThanOrEqual(walked.size);
    expect(missing).toEqual([]);
  });

  it('gives every handler exactly one of @Authorize or @Public', () => {
    const problems = handlers.flatMap((h) => {
      const targets = [h.handler, h.controller];
      const auth = reflector.getAllAndOverride<unknown>(AUTHORIZE_KEY, targets);
      const pub = reflector.getAllAndOverride<unknown>(PUBLIC_KEY, targets);
      if (auth === undefined && pub === undefined) {
        return [`${h.id}: neither @Authorize nor @Public`];
      }
      if (auth !== undefined && pub !== undefined) {
        return [`${h.id}: both @Authorize and @Public`];
      }
      return [];
    });
    expect(problems).toEqual([]);
  });

  it('only requires permissions from the catalogue', () => {
    const problems = handlers.flatMap((h) => {
      const spec = reflector.getAllAndOverride<PermissionSpec | undefined>(AUTHORIZE_KEY, [
        h.handler,
        h.controller,
      ]);
      return spec === undefined ? [] : permissionProblems(spec).map((p) => `${h.id}: ${p}`);
    });
    expect(problems).toEqual([]);
  });

  it('marks routes without an :account segment @Public({ global: true })', () => {
    const problems = handlers
      .filter((h) => !h.path.split('/').includes(':account'))
      .filter(
        (h) =>
          !reflector.getAllAndOverride<PublicOptions | undefined>(PUBLIC_KEY, [
            h.handler,
            h.controller,
          ])?.global,
      )
      .map((h) => `${h.id}: no :account and not @Public({ global: true })`);
    expect(problems).toEqual([]);
  });

  it('declares @Render or @Raw on every handler that is not @HttpCode(204)', () => {
    const problems = handlers
      .filter((h) => Reflect.getMetadata(HTTP_CODE_METADATA, h.handler) !== 204)
      .filter(
        (h) =>
          Reflect.getMetadata(RENDER_KEY, h.handler) === undefined &&
          Reflect.getMetadata(RAW_KEY, h.handler) === undefined,
      )
      .map((h) => `${h.id}: neither @Render nor @Raw`);
    expect(problems).toEqual([]);
  });

  it('never declares both @Render and @Raw', () => {
    const problems = handlers
      .filter(
        (h) =>
          Reflect.getMetadata(RENDER_KEY, h.handler) !== undefined &&
          Reflect.getMetadata(RAW_KEY, h.handler) !== undefined,
      )
      .map((h) => `${h.id}: both @Render and @Raw`);
    expect(problems).toEqual([]);
  });
});

import 'reflect-metadata';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod, type Type } from '@nestjs/common';
import { DOMAIN_MODULES } from '@app/modules';

/**
 * Static route table read from controller metadata, so a test file can decide at
 * load time (before any app boots) whether a route other engineers are still
 * writing exists yet. Tests that need it use `describeIfRouted`, which reports
 * them as skipped (visible in jest output) rather than silently passing.
 */
function collectControllers(
  mod: unknown,
  seen = new Set<unknown>(),
  out = new Set<Type>(),
): Set<Type> {
  const m = (mod as { module?: unknown })?.module ?? mod;
  if (!m || seen.has(m)) {
    return out;
  }
  seen.add(m);
  for (const c of (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, m as object) as
    Type[] | undefined) ?? []) {
    out.add(c);
  }
  const dynamicControllers = (mod as { controllers?: Type[] }).controllers ?? [];
  for (const c of dynamicControllers) {
    out.add(c);
  }
  const imports = [
    ...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, m as object) as unknown[] | undefined) ?? []),
    ...((mod as { imports?: unknown[] }).imports ?? []),
  ];
  for (const i of imports) {
    collectControllers(i, seen, out);
  }
  return out;
}

const join = (...parts: string[]): string =>
  `/${parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/')}`;

export const ROUTES: Array<{ method: string; path: string }> = (() => {
  const out: Array<{ method: string; path: string }> = [];
  for (const ctrl of collectControllers({ imports: DOMAIN_MODULES })) {
    const base = Reflect.getMetadata(PATH_METADATA, ctrl) as string | string[] | undefined;
    const bases = Array.isArray(base) ? base : [base ?? ''];
    const proto = ctrl.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const fn = proto[name];
      if (name === 'constructor' || typeof fn !== 'function') {
        continue;
      }
      const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
      const sub = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
      if (method === undefined || sub === undefined) {
        continue;
      }
      for (const b of bases) {
        for (const s of Array.isArray(sub) ? sub : [sub]) {
          out.push({ method: RequestMethod[method], path: join(b, s) });
        }
      }
    }
  }
  return out;
})();

export function isRouted(method: string, path: string): boolean {
  return ROUTES.some((r) => r.method === method.toUpperCase() && r.path === path);
}

export function describeIfRouted(method: string, path: string): jest.Describe {
  return isRouted(method, path) ? describe : describe.skip;
}

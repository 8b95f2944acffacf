import { SetMetadata, applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { RequestContext } from '../context/request-context';
import type { Bearer } from './bearer';

export const AUTHORIZE_KEY = 'keyward:authorize';
export const PUBLIC_KEY = 'keyward:public';
export const PASSWORD_AUTH_KEY = 'keyward:password-auth';

export type PermissionSpec = string | readonly string[] | ((bearer: Bearer) => string | readonly string[]);

export interface PublicOptions {
  /** Still resolve (and reject invalid) credentials when given. */
  optionalAuth?: boolean;
  /** Route needs no account at all (global routes such as /v1/ping). */
  global?: boolean;
}

/**
 * Route requires an authenticated bearer holding these permissions (and, when a token
 * is used, a token holding them). Record-level rules stay in `<resource>.policy.ts`.
 */
export function Authorize(permissions: PermissionSpec): MethodDecorator {
  return applyDecorators(SetMetadata(AUTHORIZE_KEY, permissions));
}

/** Route may be called anonymously. Every handler has exactly one of @Public / @Authorize. */
export function Public(options: PublicOptions = {}): MethodDecorator {
  return applyDecorators(SetMetadata(PUBLIC_KEY, options));
}

/** Basic `email:password` authenticates a user here (token generation only). */
export function AllowPasswordAuth(): MethodDecorator {
  return SetMetadata(PASSWORD_AUTH_KEY, true);
}

/** The request context built by the authentication guard. */
export const Ctx = createParamDecorator((_: unknown, ectx: ExecutionContext): RequestContext => {
  const req = ectx.switchToHttp().getRequest<{ keyward: { ctx?: RequestContext } }>();
  if (!req.keyward.ctx) {
    throw new Error('request context is not available on a global route');
  }
  return req.keyward.ctx;
});

import { checkPermissions, enforce } from './policy';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError } from '../errors/api-error';
import type { KeywardRequest } from '../http/http-state';
import { AUTHORIZE_KEY, PUBLIC_KEY, type PermissionSpec } from './decorators';

/**
 * Checks @Authorize permissions (spec 01 §2.4): the bearer's own set (with `*`
 * capped by its role), then the token's effective set. Record-level rules are
 * the services' job.
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ectx: ExecutionContext): boolean {
    const targets = [ectx.getHandler(), ectx.getClass()];
    const spec = this.reflector.getAllAndOverride<PermissionSpec | undefined>(
      AUTHORIZE_KEY,
      targets,
    );
    const isPublic = this.reflector.getAllAndOverride<unknown>(PUBLIC_KEY, targets) !== undefined;
    if (spec === undefined) {
      if (isPublic) {
        return true;
      }
      // Secure by default: a route that says nothing does not run.
      throw new Error('route declares neither @Authorize nor @Public');
    }
    const ctx = ectx.switchToHttp().getRequest<KeywardRequest>().keyward.ctx;
    const bearer = ctx?.bearer;
    if (!ctx || !bearer) {
      throw ForbiddenError.because('authentication is required');
    }
    const resolved = typeof spec === 'function' ? spec(bearer) : spec;
    const required = typeof resolved === 'string' ? [resolved] : resolved;
    enforce(checkPermissions(bearer, ctx.token ? (ctx.permissions ?? new Set()) : null, required));
    return true;
  }
}

import { Injectable, Optional } from '@nestjs/common';
import type { Bearer } from '@app/common/auth/bearer';
import type { RequestContext } from '@app/common/context/request-context';
import { ForbiddenError } from '@app/common/errors/api-error';
import { rendered, type Rendered } from '@app/common/http/render';
import type { Environment } from '@app/modules/environments/environment.entity';
import { LicenseBearerViews } from '@app/modules/licenses/auth/license-bearer-views.service';
import { LicenseSerializer } from '@app/modules/licenses/license.serializer';
import { EnvironmentSerializer } from '@app/modules/environments/environment.serializer';
import type { Product } from '@app/modules/products/product.entity';
import { ProductSerializer } from '@app/modules/products/product.serializer';
import { Token } from '@app/modules/tokens/token.entity';
import { TokenSerializer } from '@app/modules/tokens/token.serializer';
import type { User } from '@app/modules/users/user.entity';
import { UserSerializer } from '@app/modules/users/user.serializer';
import { profileVisible } from './profile.policy';

type Extras = Omit<Rendered<unknown>, 'kind' | 'data' | 'serializer'>;

/** The bearer as its own resource (licenses are rendered from their view, see ProfilesService). */
function renderBearer(bearer: Bearer, extras: Extras): Rendered<unknown> {
  switch (bearer.type) {
    case 'users':
      return rendered(bearer.record as User, { ...extras, serializer: UserSerializer });
    case 'environments':
      return rendered(bearer.record as Environment, {
        ...extras,
        serializer: EnvironmentSerializer,
      });
    case 'products':
      return rendered(bearer.record as Product, { ...extras, serializer: ProductSerializer });
    default:
      throw new Error(`no serializer for ${bearer.type} bearers`);
  }
}

/** `/me` and `/profile` (spec 00 §1.3, 01 §7): the current bearer. No events. */
@Injectable()
export class ProfilesService {
  constructor(@Optional() private readonly licenses?: LicenseBearerViews) {}

  /** The bearer, plus the token in use (never its raw value) as `included`. */
  me(ctx: RequestContext): Promise<Rendered<unknown>> {
    const bearer = bearerOf(ctx);
    if (!ctx.token) {
      return this.render(ctx, bearer, {});
    }
    const token = Object.assign(new Token(), ctx.token, { bearer });
    delete token.raw;
    return this.render(ctx, bearer, { include: [[TokenSerializer, token]] });
  }

  /** The bearer with `meta.tokenId` (null for license-key authentication). */
  show(ctx: RequestContext): Promise<Rendered<unknown>> {
    const bearer = bearerOf(ctx);
    if (!profileVisible(ctx.scope, bearer)) {
      throw ForbiddenError.because(
        'record environment is not compatible with the current environment',
      );
    }
    return this.render(ctx, bearer, { meta: { tokenId: ctx.token?.id ?? null } });
  }

  /** Licenses render their view (counts, status), read here; other bearers their record. */
  private async render(
    ctx: RequestContext,
    bearer: Bearer,
    extras: Extras,
  ): Promise<Rendered<unknown>> {
    if (bearer.type === 'licenses' && this.licenses) {
      const view = await this.licenses.view(ctx, bearer);
      return rendered(view, { ...extras, serializer: LicenseSerializer });
    }
    return renderBearer(bearer, extras);
  }
}

function bearerOf(ctx: RequestContext): Bearer {
  if (!ctx.bearer) {
    throw ForbiddenError.because('authentication is required');
  }
  return ctx.bearer;
}

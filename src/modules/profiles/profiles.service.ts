import { Injectable } from '@nestjs/common';
import type { Bearer } from '@app/common/auth/bearer';
import type { RequestContext } from '@app/common/context/request-context';
import { ForbiddenError } from '@app/common/errors/api-error';
import { rendered, type Rendered } from '@app/common/http/render';
import type { Environment } from '@app/modules/environments/environment.entity';
import { EnvironmentSerializer } from '@app/modules/environments/environment.serializer';
import type { Product } from '@app/modules/products/product.entity';
import { ProductSerializer } from '@app/modules/products/product.serializer';
import { Token } from '@app/modules/tokens/token.entity';
import { TokenSerializer } from '@app/modules/tokens/token.serializer';
import type { User } from '@app/modules/users/user.entity';
import { UserSerializer } from '@app/modules/users/user.serializer';
import { profileVisible } from './profile.policy';

type Extras = Omit<Rendered<unknown>, 'kind' | 'data' | 'serializer'>;

/**
 * The bearer as its own resource. NOTE(profiles): licenses join this switch when
 * their module exists; until then no license bearer can authenticate.
 */
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
  /** The bearer, plus the token in use (never its raw value) as `included`. */
  me(ctx: RequestContext): Rendered<unknown> {
    const bearer = bearerOf(ctx);
    if (!ctx.token) {
      return renderBearer(bearer, {});
    }
    const token = Object.assign(new Token(), ctx.token, { bearer });
    delete token.raw;
    return renderBearer(bearer, { include: [[TokenSerializer, token]] });
  }

  /** The bearer with `meta.tokenId` (null for license-key authentication). */
  show(ctx: RequestContext): Rendered<unknown> {
    const bearer = bearerOf(ctx);
    if (!profileVisible(ctx.scope, bearer)) {
      throw ForbiddenError.because(
        'record environment is not compatible with the current environment',
      );
    }
    return renderBearer(bearer, { meta: { tokenId: ctx.token?.id ?? null } });
  }
}

function bearerOf(ctx: RequestContext): Bearer {
  if (!ctx.bearer) {
    throw ForbiddenError.because('authentication is required');
  }
  return ctx.bearer;
}

import { Inject, Injectable, type CanActivate } from '@nestjs/common';
import { ApiError } from '@app/common/errors/api-error';
import { APP_CONFIG, type AppConfig } from '@app/config/app.config';

/**
 * Routes that only exist in multiplayer mode. In singleplayer Keygen does not route them,
 * so this answers exactly like an unknown route, before any parameter is validated.
 */
@Injectable()
export class MultiplayerOnlyGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(): boolean {
    if (this.config.mode !== 'multiplayer') {
      throw new ApiError(404, [
        {
          title: 'Not found',
          detail:
            'The requested endpoint was not found (check your HTTP method, Accept header, and URL path)',
          code: 'NOT_FOUND',
        },
      ]);
    }
    return true;
  }
}

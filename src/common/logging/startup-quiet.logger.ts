import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/** Nest contexts that log one line per module or route at boot. */
const CHATTY = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * The console logger, minus Nest's per-module and per-route boot lines at `log`
 * level, so the startup output operators need (first-boot credentials, URLs)
 * stands out. They come back with LOG_LEVEL=debug.
 */
export class StartupQuietLogger extends ConsoleLogger {
  constructor(private readonly levels: LogLevel[]) {
    super();
    this.setLogLevels(levels);
  }

  override log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    if (typeof context === 'string' && CHATTY.has(context) && !this.levels.includes('debug')) {
      return;
    }
    super.log(message, ...(rest as [string]));
  }
}

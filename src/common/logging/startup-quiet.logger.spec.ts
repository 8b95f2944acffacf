import { StartupQuietLogger } from './startup-quiet.logger';

describe('StartupQuietLogger', () => {
  const written = (levels: Parameters<typeof StartupQuietLogger.prototype.setLogLevels>[0]): string => {
    const out: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    const logger = new StartupQuietLogger(levels);
    logger.log('Mapped {/v1/ping, GET} route', 'RouterExplorer');
    logger.log('Keyward API listening', 'Keyward');
    spy.mockRestore();
    return out.join('');
  };

  it('drops per-route boot lines at the default level and keeps the rest', () => {
    const out = written(['fatal', 'error', 'warn', 'log']);
    expect(out).toContain('Keyward API listening');
    expect(out).not.toContain('Mapped {/v1/ping, GET} route');
  });

  it('keeps them at debug level', () => {
    expect(written(['fatal', 'error', 'warn', 'log', 'debug'])).toContain('Mapped {/v1/ping, GET} route');
  });
});

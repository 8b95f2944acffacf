import { ExpressAdapter } from '@nestjs/platform-express';
import type { Response } from 'express';

/** A response whose status, headers and bytes were already finalised and signed. */
export class FinalResponse {
  constructor(
    readonly status: number,
    readonly bytes: Buffer,
  ) {}
}

/**
 * Sends FinalResponse bytes untouched (Nest would JSON-encode a Buffer and reset
 * the status to the route default). Everything else behaves as usual.
 */
export class KeywardExpressAdapter extends ExpressAdapter {
  override reply(response: unknown, body: unknown, statusCode?: number): unknown {
    if (body instanceof FinalResponse) {
      const res = response as Response;
      res.status(body.status);
      return res.end(body.bytes);
    }
    return super.reply(response, body, statusCode);
  }
}

import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { jsonNumberLiterals, snakeKey } from '@libs/jsonapi';
import { ParamError } from '@app/common/errors/api-error';
import type { KeywardRequest } from '@app/common/http/http-state';

/**
 * Exact values of integer attributes, read from the raw body (JSON.parse rounds past
 * 2^53). Call it after the typed params passed: it returns each attribute's digits,
 * and rejects a literal written as a float (`1.0`, `1e3`) the way Keygen's typed
 * params do, since JSON.parse cannot tell those from integers.
 */
export type ExactIntegersReader = () => Record<string, string>;

export const ExactIntegers = createParamDecorator(
  (attrs: readonly string[], ectx: ExecutionContext): ExactIntegersReader => {
    const raw = ectx.switchToHttp().getRequest<KeywardRequest>().keyward.rawBody;
    let cached: Record<string, string> | undefined;
    return () => {
      if (cached) {
        return cached;
      }
      cached = {};
      if (!raw || raw.length === 0) {
        return cached;
      }
      const found = jsonNumberLiterals(
        raw.toString('utf8'),
        attrs.map((a) => ['data', 'attributes', a]),
        snakeKey,
      );
      for (const attr of attrs) {
        const literal = found[`data.attributes.${attr}`];
        if (literal === undefined) {
          continue;
        }
        if (/[.eE]/.test(literal)) {
          throw new ParamError('type mismatch (received float expected integer)', {
            pointer: `/data/attributes/${attr}`,
          });
        }
        cached[attr] = BigInt(literal).toString();
      }
      return cached;
    };
  },
);

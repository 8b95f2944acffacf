import { ConflictError, UnprocessableError, type ApiErrorItem } from '@app/common/errors/api-error';

const ABOUT = 'https://keygen.sh/docs/api';

/** `links.about` as Keygen builds it from the topic and the pointer (spec 03 §0.5). */
function about(topic: string, pointer: string | null): string {
  const rel = pointer ? /\/relationships\/([^/]+)/.exec(pointer) : null;
  const attr = pointer ? /\/attributes\/([^/]+)/.exec(pointer) : null;
  const hash = rel
    ? `${topic}-object-relationships-${rel[1]}`
    : attr
      ? `${topic}-object-attrs-${attr[1]}`
      : `${topic}-object`;
  return `${ABOUT}/${topic}/#${hash}`;
}

/** A model error of `topic` (`machines`, `components`, `processes`, `tokens`). */
export function modelError(
  topic: string,
  code: string,
  detail: string,
  pointer: string,
): ApiErrorItem {
  return { detail, code, source: { pointer }, links: { about: about(topic, pointer) } };
}

export const machineAttributeError = (attr: string, code: string, detail: string): ApiErrorItem =>
  modelError('machines', code, detail, `/data/attributes/${attr}`);

export const machineRelationshipError = (rel: string, code: string, detail: string): ApiErrorItem =>
  modelError('machines', code, detail, `/data/relationships/${rel}`);

/** Base errors (`MACHINE_LIMIT_EXCEEDED`, ...) on `/data`. */
export const machineBaseError = (code: string, detail: string): ApiErrorItem =>
  modelError('machines', code, detail, '/data');

/** An inline component's error: `COMPONENTS_<ATTR>_<KIND>` on its indexed pointer. */
export const inlineComponentError = (
  index: number,
  attr: string,
  kind: string,
  detail: string,
): ApiErrorItem =>
  modelError(
    'machines',
    `COMPONENTS_${attr.toUpperCase()}_${kind}`,
    detail,
    `/data/relationships/components/data/${index}/attributes/${attr}`,
  );

/** Errors with the same code and pointer collapse into the first (Keygen's as_jsonapi). */
export function dedupeErrors(items: readonly ApiErrorItem[]): ApiErrorItem[] {
  const seen = new Set<string>();
  return items.filter((e) => {
    const key = `${e.code ?? ''}\u0000${e.source?.pointer ?? ''}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}

/** Throws the 422 when any model error was found. */
export function assertNoErrors(items: readonly ApiErrorItem[]): void {
  if (items.length > 0) {
    throw new UnprocessableError(dedupeErrors(items));
  }
}

/** More than 20 inline components (raised while building the machine, §1.5.9). */
export class TooManyComponentsError extends UnprocessableError {
  constructor() {
    super({ detail: 'too many records' }, 'Unprocessable entity');
  }
}

/** A ping on a machine that is dead for good (§1.8.2). */
export class MachineHeartbeatDeadError extends UnprocessableError {
  constructor() {
    super({ detail: 'is dead', code: 'MACHINE_HEARTBEAT_DEAD' }, 'Unprocessable entity');
  }
}

/** A license token's activation or deactivation limit (§1.5.1 step 5, §1.7). */
export function tokenLimitExceeded(
  attr: 'activations' | 'deactivations',
  max: number,
): UnprocessableError {
  return new UnprocessableError(
    modelError(
      'tokens',
      `${attr.toUpperCase()}_LIMIT_EXCEEDED`,
      `exceeds maximum allowed (${max})`,
      `/data/attributes/${attr}`,
    ),
  );
}

/** The token row was locked by a concurrent activation or deactivation. */
export class TokenCounterConflictError extends ConflictError {
  constructor(attr: 'activations' | 'deactivations') {
    super(
      `failed to increment due to another conflicting ${attr === 'activations' ? 'activation' : 'deactivation'}`,
    );
    this.items[0].source = { pointer: `/data/attributes/${attr}` };
  }
}

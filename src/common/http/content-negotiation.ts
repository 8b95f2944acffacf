/**
 * Accept / Content-Type rules (spec 00 §2). Pure functions; the Express
 * middleware applies them.
 */
const JSON_TYPES = new Set(['application/vnd.api+json', 'application/json', 'application/vnd.keygen+json']);
const GATE_TYPES = new Set([...JSON_TYPES, 'application/octet-stream']);

interface AcceptEntry {
  type: string;
  q: number;
  index: number;
}

export function parseAccept(header: string | undefined): AcceptEntry[] {
  if (!header) {
    return [];
  }
  return header
    .split(',')
    .map((part, index) => {
      const [type, ...params] = part.trim().split(';');
      let q = 1;
      for (const p of params) {
        const [k, v] = p.trim().split('=');
        if (k?.trim() === 'q') {
          const n = Number(v);
          q = Number.isFinite(n) ? n : 0;
        }
      }
      const t = type.trim().toLowerCase();
      return { type: t === '*' ? '*/*' : t, q, index };
    })
    .filter((e) => e.type !== '')
    .sort((a, b) => b.q - a.q || a.index - b.index);
}

/** The routing gate: absent, `*\/*` or any allowed type passes (q ignored). */
export function acceptAllowed(header: string | undefined, accountLevel = false): boolean {
  const entries = parseAccept(header);
  if (entries.length === 0) {
    return true;
  }
  return entries.some(
    (e) =>
      e.type === '*/*' ||
      (accountLevel
        ? e.type === 'application/vnd.api+json' || e.type === 'application/json'
        : GATE_TYPES.has(e.type)),
  );
}

/** Response Content-Type from the sorted Accept list (spec 00 §2.2). */
export function responseContentType(header: string | undefined): string {
  const types = parseAccept(header).map((e) => e.type);
  const api = types.indexOf('application/vnd.api+json');
  const json = types.indexOf('application/json');
  if (api >= 0 && (json < 0 || api < json)) {
    return 'application/vnd.api+json; charset=utf-8';
  }
  if (json >= 0) {
    return 'application/json; charset=utf-8';
  }
  return 'application/vnd.api+json; charset=utf-8';
}

export type BodyTreatment = 'json' | 'skip' | 'invalid';

/** How a request body is treated given its Content-Type (spec 00 §2.3). */
export function bodyTreatment(contentType: string | undefined): BodyTreatment {
  if (contentType === undefined || contentType.trim() === '') {
    return 'json';
  }
  const essence = contentType.split(';')[0].trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(essence)) {
    return 'invalid';
  }
  if (
    JSON_TYPES.has(essence) ||
    essence === 'application/x-www-form-urlencoded' ||
    essence === 'multipart/form-data' ||
    essence === 'text/plain'
  ) {
    return 'json';
  }
  return 'skip';
}

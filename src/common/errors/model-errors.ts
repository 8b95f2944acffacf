import type { ApiErrorItem } from './api-error';

/** A model validation error before rendering: `attributes/<camel>`, `relationships/<name>` or `id`. */
export interface ModelError {
  path: string;
  code: string;
  detail: string;
}

/**
 * One 422 item with Keygen's docs link, `docs` being the object's docs URL (e.g.
 * `https://keygen.sh/docs/api/licenses/#licenses-object`): `<docs>-attrs-<name>`,
 * `<docs>-relationships-<name>`, or `<docs>` itself for any other member.
 */
export function modelErrorItem(docs: string, e: ModelError): ApiErrorItem {
  const [kind, name] = e.path.split('/');
  const about =
    kind === 'relationships'
      ? `${docs}-relationships-${name}`
      : kind === 'attributes'
        ? `${docs}-attrs-${name}`
        : docs;
  return {
    detail: e.detail,
    code: e.code,
    source: { pointer: `/data/${e.path}` },
    links: { about },
  };
}

/**
 * Keygen renders a record's model errors grouped by attribute (in order of each
 * attribute's first error) and drops repeats of the same code and pointer (spec 02 §0.4).
 */
export function renderModelErrors(errors: readonly ModelError[], docs: string): ApiErrorItem[] {
  const groups = new Map<string, ModelError[]>();
  for (const e of errors) {
    const group = groups.get(e.path);
    if (group) {
      group.push(e);
    } else {
      groups.set(e.path, [e]);
    }
  }
  const seen = new Set<string>();
  const out: ApiErrorItem[] = [];
  for (const e of [...groups.values()].flat()) {
    const key = `${e.code} ${e.path}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(modelErrorItem(docs, e));
    }
  }
  return out;
}

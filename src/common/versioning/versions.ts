export const CURRENT_API_VERSION = '1.8';
export const API_VERSIONS = ['1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8'] as const;

export function isSupportedVersion(v: string): boolean {
  return (API_VERSIONS as readonly string[]).includes(v);
}

/** `Keygen-Version` request header value with a leading `v` stripped, or null. */
export function requestedVersion(header: string | string[] | undefined): string | null {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined || raw.trim() === '') {
    return null;
  }
  // compat: Keygen strips only a lowercase `v` (`delete_prefix('v')`); `V1.4` is unsupported.
  return raw.trim().replace(/^v/, '');
}

/** Numeric compare of "1.4"-style versions. */
export function versionLte(a: string, b: string): boolean {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am < bm || (am === bm && an <= bn);
}

/**
 * The newest version of each range in which serializers render differently (their
 * `when` relationship conditions): up to 1.5 a machine has `user` instead of `owner`.
 * Documents rendered once for many readers (webhook payloads) are rendered again at
 * each of these, since a response migration cannot add what the record alone knows.
 */
export const RENDER_BREAKPOINTS = ['1.5'] as const;

/** The breakpoint whose rendering serves `version`, or null for the current rendering. */
export function renderBreakpoint(version: string): string | null {
  return RENDER_BREAKPOINTS.find((b) => versionLte(version, b)) ?? null;
}

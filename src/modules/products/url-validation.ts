/**
 * Keygen's UrlValidator over Ruby's RFC 3986 `URI.parse`: unparsable → URL_INVALID;
 * otherwise the scheme must be one of the protocols and the host must carry a dot and
 * a 2+ letter TLD and not be one of Keygen's own hosts.
 */

const UNRESERVED = 'A-Za-z0-9\\-._~';
const SUB_DELIMS = "!$&'()*+,;=";
const PCT = '%[0-9A-Fa-f]{2}';
const PCHAR = `(?:[${UNRESERVED}${SUB_DELIMS}:@]|${PCT})`;
const SEGMENT = `${PCHAR}*`;
const SEGMENT_NZ = `${PCHAR}+`;
const SEGMENT_NZ_NC = `(?:[${UNRESERVED}${SUB_DELIMS}@]|${PCT})+`;
const USERINFO = `(?:[${UNRESERVED}${SUB_DELIMS}:]|${PCT})*`;
const IP_LITERAL = `\\[(?:[0-9A-Fa-f:.]+|[vV][0-9A-Fa-f]+\\.[${UNRESERVED}${SUB_DELIMS}:]+)\\]`;
const REG_NAME = `(?:[${UNRESERVED}${SUB_DELIMS}]|${PCT})*`;
const QUERY = `(?:${PCHAR}|[/?])*`;

const ABSOLUTE = new RegExp(
  `^([A-Za-z][A-Za-z0-9+\\-.]*):` +
    `(?://(?:${USERINFO}@)?(${IP_LITERAL}|${REG_NAME})(?::\\d*)?((?:/${SEGMENT})*)` +
    `|(/(?:${SEGMENT_NZ}(?:/${SEGMENT})*)?)|(${SEGMENT_NZ}(?:/${SEGMENT})*)|())` +
    `(?:\\?${QUERY})?(?:#${QUERY})?$`,
);

const RELATIVE = new RegExp(
  `^(?://(?:${USERINFO}@)?(${IP_LITERAL}|${REG_NAME})(?::\\d*)?((?:/${SEGMENT})*)` +
    `|(/(?:${SEGMENT_NZ}(?:/${SEGMENT})*)?)|(${SEGMENT_NZ_NC}(?:/${SEGMENT})*)|())` +
    `(?:\\?${QUERY})?(?:#${QUERY})?$`,
);

export interface ParsedUri {
  /** Lower-cased scheme, or null for a relative reference. */
  scheme: string | null;
  /** Host as written (may be ''), or null without an authority. */
  host: string | null;
}

/** Ruby `URI.parse` (RFC 3986 parser) reduced to what the validator reads; null = InvalidURIError. */
export function parseUri(value: string): ParsedUri | null {
  const abs = ABSOLUTE.exec(value);
  if (abs) {
    return { scheme: abs[1].toLowerCase(), host: abs[2] ?? null };
  }
  const rel = RELATIVE.exec(value);
  if (rel) {
    return { scheme: null, host: rel[1] ?? null };
  }
  return null;
}

const BLOCKED_HOSTS = new Set([
  'dist.keygen.sh',
  'app.keygen.sh',
  'api.keygen.sh',
  'dashboard.keygen.sh',
  'portal.keygen.sh',
  'status.keygen.sh',
  'stats.keygen.sh',
  'keygen.sh',
  'localhost',
]);

export type UrlProblem = 'PROTOCOL_INVALID' | 'HOST_INVALID' | 'INVALID';

/** The problems Keygen reports for a URL, in its order (protocol, then host). */
export function urlProblems(value: string, protocols: readonly string[]): UrlProblem[] {
  const uri = parseUri(value);
  if (!uri) {
    return ['INVALID'];
  }
  const problems: UrlProblem[] = [];
  if (uri.scheme === null || !protocols.includes(uri.scheme)) {
    problems.push('PROTOCOL_INVALID');
  }
  const host = uri.host;
  if (host === null || BLOCKED_HOSTS.has(host) || !/^[\s\S]*?\.[a-zA-Z]{2,}$/.test(host)) {
    problems.push('HOST_INVALID');
  }
  return problems;
}

/**
 * E-mail checks used when an account is created: address validity and whether the
 * domain is a free, disposable or educational provider (Keygen's `email_check` gem plus
 * its EMAIL_CHECK_*_DOMAINS extra lists). Pure functions; the lists come from config.
 */

export interface EmailDomainLists {
  freeDomains: readonly string[];
  disposableDomains: readonly string[];
  eduDomains: readonly string[];
}

/** A small built-in list of the big free mail providers. */
const FREE_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.co.uk',
  'yahoo.co.jp',
  'yahoo.fr',
  'yahoo.de',
  'ymail.com',
  'rocketmail.com',
  'outlook.com',
  'outlook.de',
  'hotmail.com',
  'hotmail.co.uk',
  'hotmail.fr',
  'hotmail.de',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'proton.me',
  'protonmail.com',
  'pm.me',
  'aol.com',
  'mail.com',
  'mail.ru',
  'inbox.ru',
  'list.ru',
  'bk.ru',
  'yandex.ru',
  'yandex.com',
  'ya.ru',
  'zoho.com',
  'zohomail.com',
  'tutanota.com',
  'tuta.io',
  'fastmail.com',
  'hey.com',
  'qq.com',
  '163.com',
  '126.com',
  'sina.com',
  'naver.com',
  'daum.net',
  'web.de',
  't-online.de',
  'freenet.de',
  'libero.it',
  'orange.fr',
  'wanadoo.fr',
  'laposte.net',
  'free.fr',
  'seznam.cz',
  'wp.pl',
  'o2.pl',
  'interia.pl',
  'rediffmail.com',
  'comcast.net',
  'verizon.net',
  'att.net',
  'sbcglobal.net',
  'btinternet.com',
  'bigpond.com',
]);

/** GMX runs the same service under many country domains (gmx.com, gmx.de, gmx.net, ...). */
const FREE_PATTERNS: readonly RegExp[] = [/^gmx\.[a-z.]+$/];

const DISPOSABLE_DOMAINS: ReadonlySet<string> = new Set([
  'mailinator.com',
  'guerrillamail.com',
  'guerrillamail.net',
  'sharklasers.com',
  '10minutemail.com',
  'temp-mail.org',
  'tempmail.com',
  'throwawaymail.com',
  'yopmail.com',
  'trashmail.com',
  'getnada.com',
  'maildrop.cc',
  'dispostable.com',
  'fakeinbox.com',
  'mintemail.com',
  'mohmal.com',
  'emailondeck.com',
  'spamgourmet.com',
  'mailnesia.com',
  'discard.email',
]);

/** Educational hosts: `mit.edu`, `unimelb.edu.au`, `ox.ac.uk`, ... */
const EDU_PATTERNS: readonly RegExp[] = [/\.edu(\..{2,})?$/, /\.ac\..{2,}$/];

/** Normalised like Keygen's `normalizes :email` (trimmed, lower-cased). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const LOCAL_RE = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+$/i;
const DOMAIN_RE = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i;

/** A plausible mailbox: `local@domain.tld`, no spaces, one `@`, dotted domain with a TLD. */
export function isValidEmail(email: string): boolean {
  const at = email.lastIndexOf('@');
  if (at <= 0 || at !== email.indexOf('@')) {
    return false;
  }
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  return (
    LOCAL_RE.test(local) &&
    !local.startsWith('.') &&
    !local.endsWith('.') &&
    !local.includes('..') &&
    domain.length <= 253 &&
    DOMAIN_RE.test(domain)
  );
}

/** `user` and `host` of an address (Keygen's EMAIL_PARTS_RE), or null. */
export function emailParts(email: string): { user: string; host: string } | null {
  const m = /^([^@]+)@(.+)$/.exec(email);
  return m ? { user: m[1], host: m[2] } : null;
}

function matchesDomain(host: string, domains: Iterable<string>): boolean {
  for (const d of domains) {
    if (host === d || host.endsWith(`.${d}`)) {
      return true;
    }
  }
  return false;
}

/** Keygen's `free_or_disposable_email?`: free provider, disposable, or educational. */
export function isFreeDisposableOrEdu(host: string, extra: EmailDomainLists): boolean {
  const h = host.toLowerCase();
  return (
    FREE_DOMAINS.has(h) ||
    extra.freeDomains.includes(h) ||
    FREE_PATTERNS.some((re) => re.test(h)) ||
    matchesDomain(h, DISPOSABLE_DOMAINS) ||
    matchesDomain(h, extra.disposableDomains) ||
    EDU_PATTERNS.some((re) => re.test(h)) ||
    extra.eduDomains.includes(h)
  );
}

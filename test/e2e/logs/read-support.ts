// Shared by the request-log and event-log read specs: the app per describe block, the
// seeded timeline, filter queries, and the access rules both resources have in common.
import type { Test } from 'supertest';
import { uuidv4 } from '@app/common/ids';
import type { Environment } from '@app/modules/environments/environment.entity';
import { bootApp, type TestApp } from '../../support/app';
import { given, givenLogs, type GivenAccount } from '../../support/factories';
import { denied, ids, lacks, notFound } from './support';

export const DAY = 86_400_000;
/** `YYYY-MM-DD`, as `date[start]` and `date[end]` take it. */
export const day = (d: Date): string => d.toISOString().slice(0, 10);

type Auth = Record<string, string>;

/** One app and account per describe block, and GETs on its logs of one type. */
export interface LogReads {
  t: TestApp;
  g: ReturnType<typeof given>;
  logs: ReturnType<typeof givenLogs>;
  a: GivenAccount;
  /** GET the list (`query` starts with `?`), as the admin of `a` unless told otherwise. */
  list: (query?: string, auth?: Auth, acct?: GivenAccount) => Test;
  show: (id: string, auth?: Auth, acct?: GivenAccount) => Test;
}

/** Boots the app in `beforeAll` (closed in `afterAll`); fields are set once it has run. */
export function logReads(type: 'request-logs' | 'event-logs'): LogReads {
  const r = {} as LogReads;
  r.list = (query = '', auth = r.a.auth, acct = r.a) =>
    r.t.http.get(`${acct.base}/${type}${query}`).set(auth);
  r.show = (id, auth = r.a.auth, acct = r.a) =>
    r.t.http.get(`${acct.base}/${type}/${id}`).set(auth);
  beforeAll(async () => {
    r.t = await bootApp();
    r.g = given(r.t);
    r.logs = givenLogs(r.t);
    r.a = await r.g.account();
  });
  afterAll(() => r.t.close());
  return r;
}

/** `n` logs one second apart, oldest first, the newest one second before now. */
export async function secondsApart<T>(
  r: LogReads,
  n: number,
  make: (createdAt: Date, i: number) => Promise<T>,
): Promise<T[]> {
  const rows: T[] = [];
  for (let i = 0; i < n; i++) {
    rows.push(await make(new Date(r.t.clock.now().getTime() - (n - i) * 1000), i));
  }
  return rows;
}

/** For filter tests: the sorted ids `acct()`'s admin lists for `query` (up to 100). */
export const filtered =
  (r: LogReads, acct: () => GivenAccount) =>
  async (query: string): Promise<string[]> =>
    ids(await r.list(`?limit=100&${query}`, acct().auth, acct()).expect(200)).sort();

export const sortedIds = (...ls: Array<{ id: string }>): string[] => ls.map((l) => l.id).sort();

/** Writes one log of the spec's type in `acct`, inside `environment` when given. */
type MakeLog = (acct: GivenAccount, environment?: Environment) => Promise<{ id: string }>;

/** Environment scoping of the list, in a fresh account. */
export function itScopesTheListToEnvironments(r: LogReads, make: MakeLog): void {
  it('scopes an isolated environment to its own logs and a shared one to its own plus global', async () => {
    const b = await r.g.account();
    const isolated = await r.g.environment(b.account, { isolationStrategy: 'ISOLATED' });
    const shared = await r.g.environment(b.account, { isolationStrategy: 'SHARED' });
    const global = await make(b);
    const inIsolated = await make(b, isolated.environment);
    const inShared = await make(b, shared.environment);
    expect(ids(await r.list('', isolated.auth, b).expect(200))).toEqual([inIsolated.id]);
    expect(ids(await r.list('', shared.auth, b).expect(200)).sort()).toEqual(
      [inShared.id, global.id].sort(),
    );
    expect(ids(await r.list('', b.auth, b).expect(200))).toEqual([global.id]);
    const admin = await r
      .list('', { ...b.auth, 'Keygen-Environment': shared.environment.code }, b)
      .expect(200);
    expect(ids(admin).sort()).toEqual([inShared.id, global.id].sort());
  });
}

/** Who may not list: anonymous and foreign callers (401), agents, products, users, licenses (403). */
export function itGuardsTheList(r: LogReads): void {
  it('rejects anonymous callers and tokens of another account', async () => {
    expect((await r.list('', {}).expect(401)).body.errors[0].code).toBe('TOKEN_MISSING');
    const other = await r.g.account();
    expect((await r.list('', other.auth).expect(401)).body.errors[0].code).toBe('TOKEN_INVALID');
  });

  it.each(['sales-agent', 'support-agent'] as const)('forbids a %s (no reason)', async (role) => {
    const u = await r.g.user(r.a.account, { role });
    expect((await r.list('', u.auth).expect(403)).body.errors).toEqual([denied()]);
  });

  it('forbids products, users and licenses (no log read permission)', async () => {
    const p = await r.g.product(r.a.account);
    expect((await r.list('', p.auth).expect(403)).body.errors).toEqual([lacks('product')]);
    const u = await r.g.user(r.a.account, { role: 'user' });
    expect((await r.list('', u.auth).expect(403)).body.errors).toEqual([lacks('user')]);
    const l = await r.g.license(r.a.account);
    expect((await r.list('', l.auth).expect(403)).body.errors).toEqual([lacks('license')]);
  });
}

/**
 * Who sees one log (`log()`, written in `r.a` outside any environment) and who gets
 * 404, 401 or 403 for it.
 */
export function itGuardsTheShow(
  r: LogReads,
  log: () => { id: string },
  what: 'request log' | 'event log',
  make: MakeLog,
): void {
  it.each(['developer', 'read-only'] as const)('shows for a %s', async (role) => {
    const u = await r.g.user(r.a.account, { role });
    await r.show(log().id, u.auth).expect(200);
  });

  it('shows an environment its logs, and global ones in a shared environment', async () => {
    const isolated = await r.g.environment(r.a.account, { isolationStrategy: 'ISOLATED' });
    const shared = await r.g.environment(r.a.account, { isolationStrategy: 'SHARED' });
    const own = await make(r.a, isolated.environment);
    await r.show(own.id, isolated.auth).expect(200);
    await r.show(log().id, shared.auth).expect(200);
    expect((await r.show(log().id, isolated.auth).expect(404)).body.errors).toEqual([
      notFound(what),
    ]);
    expect((await r.show(own.id, shared.auth).expect(404)).body.errors).toEqual([notFound(what)]);
  });

  it.each(['invalid', uuidv4()])('answers 404 for %s', async (id) => {
    expect((await r.show(id).expect(404)).body.errors).toEqual([notFound(what)]);
  });

  it('hides logs from products, users and licenses (their scope is empty)', async () => {
    const p = await r.g.product(r.a.account);
    const u = await r.g.user(r.a.account, { role: 'user' });
    const l = await r.g.license(r.a.account);
    for (const auth of [p.auth, u.auth, l.auth]) {
      expect((await r.show(log().id, auth).expect(404)).body.errors).toEqual([notFound(what)]);
    }
  });

  it("does not show another account's log", async () => {
    const b = await r.g.account();
    await r.show(log().id, b.auth, b).expect(404);
  });

  it('rejects anonymous callers and foreign tokens', async () => {
    expect((await r.show(log().id, {}).expect(401)).body.errors[0].code).toBe('TOKEN_MISSING');
    const b = await r.g.account();
    expect((await r.show(log().id, b.auth).expect(401)).body.errors[0].code).toBe('TOKEN_INVALID');
  });

  it.each(['sales-agent', 'support-agent'] as const)('forbids a %s', async (role) => {
    const u = await r.g.user(r.a.account, { role });
    expect((await r.show(log().id, u.auth).expect(403)).body.errors).toEqual([denied()]);
  });
}

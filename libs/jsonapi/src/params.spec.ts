import { snakeizeKeys } from './keys';
import {
  jsonApiEnvelope,
  linkage,
  linkageMany,
  normalizeUuid,
  p,
  type ParamsContext,
  validateParams,
} from './params';

const POLICY_ID = '0b4b1a9d-e6a9-4e3c-a6f3-9b8c1f8c2a11';
const USER_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

const isPrivileged = (ctx: ParamsContext) => ctx.role === 'admin';

/** Keygen's license create schema (trimmed). */
const licenseCreate = jsonApiEnvelope({
  type: ['license', 'licenses'],
  id: p.uuid({ optional: true, if: isPrivileged }),
  attributes: p.object({
    name: p.string({ optional: true, nullable: true, allowBlank: true }),
    key: p.string({ optional: true }),
    expiry: p.time({ optional: true, nullable: true, if: isPrivileged }),
    protected: p.boolean({ optional: true, if: isPrivileged }),
    max_machines: p.integer({ optional: true, nullable: true, if: isPrivileged }),
    metadata: p.hash({ depth: 2, allowBlank: true, optional: true }),
    permissions: p.array(p.string(), { optional: true, if: isPrivileged }),
  }),
  relationships: p.object(
    {
      policy: linkage(['policy', 'policies']),
      owner: linkage(['user', 'users'], { optional: true, nullable: true, alias: 'user' }),
      group: linkage(['group', 'groups'], { optional: true, nullable: true }),
    },
    { optional: false },
  ),
});

const admin = { role: 'admin' };
const user = { role: 'user' };

function body(attributes?: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return snakeizeKeys({
    data: {
      type: 'licenses',
      ...(attributes ? { attributes } : {}),
      relationships: { policy: { data: { type: 'policies', id: POLICY_ID } } },
      ...extra,
    },
  });
}

function err(result: ReturnType<typeof validateParams>) {
  if (result.ok) {
    throw new Error(`expected failure, got ${JSON.stringify(result.value)}`);
  }
  return result.error;
}

describe('validateParams — success and output', () => {
  it('returns snake_case output with null optionals dropped and uuids normalised', () => {
    const r = validateParams(
      licenseCreate,
      snakeizeKeys({
        data: {
          type: 'license',
          id: 'A1B2C3D4E5F64A7B8C9D0E1F2A3B4C5D',
          attributes: {
            name: null,
            maxMachines: 5,
            key: null,
            metadata: { someKey: 'v', nested: { inner: [1, 2] } },
          },
          relationships: {
            policy: { data: { type: 'policies', id: POLICY_ID.toUpperCase() } },
            user: { data: { type: 'users', id: USER_ID } },
            group: { data: null },
          },
        },
      }),
      admin,
    );
    expect(r).toEqual({
      ok: true,
      value: {
        data: {
          type: 'license',
          id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
          attributes: {
            name: null,
            max_machines: 5,
            metadata: { some_key: 'v', nested: { inner: [1, 2] } },
          },
          relationships: {
            policy: { data: { type: 'policies', id: POLICY_ID } },
            owner: { data: { type: 'users', id: USER_ID } },
            group: { data: null },
          },
        },
      },
    });
  });

  it('coerces time from ISO-8601 strings and epoch seconds', () => {
    const iso = validateParams(licenseCreate, body({ expiry: '2024-06-04T16:18:36.789Z' }), admin);
    expect(
      iso.ok && (iso.value.data as { attributes: { expiry: Date } }).attributes.expiry,
    ).toEqual(new Date('2024-06-04T16:18:36.789Z'));
    const epoch = validateParams(licenseCreate, body({ expiry: 1717517916 }), admin);
    expect(
      epoch.ok && (epoch.value.data as { attributes: { expiry: Date } }).attributes.expiry,
    ).toEqual(new Date(1717517916 * 1000));
    const offset = validateParams(
      licenseCreate,
      body({ expiry: '2024-06-04T18:00:00+02:00' }),
      admin,
    );
    expect(
      offset.ok && (offset.value.data as { attributes: { expiry: Date } }).attributes.expiry,
    ).toEqual(new Date('2024-06-04T16:00:00.000Z'));
  });
});

describe('validateParams — unpermitted', () => {
  it('reports an unknown nested key before a missing required key', () => {
    const input = snakeizeKeys({ data: { type: 'licenses', attributes: { fooBar: 1 } } });
    expect(err(validateParams(licenseCreate, input, admin))).toEqual({
      detail: 'unpermitted parameter',
      source: { pointer: '/data/attributes/fooBar' },
    });
  });

  it('rejects unknown root keys, data.links and data.meta', () => {
    expect(err(validateParams(licenseCreate, { ...(body() as object), foo: 1 }, admin))).toEqual({
      detail: 'unpermitted parameter',
      source: { pointer: '/foo' },
    });
    expect(
      err(validateParams(licenseCreate, body(undefined, { links: {} }), admin)).source,
    ).toEqual({ pointer: '/data/links' });
  });

  it('reports the first unknown key in input order', () => {
    const input = { data: { type: 'licenses', zzz: 1, attributes: { aaa: 1 } } };
    expect(err(validateParams(licenseCreate, input, admin)).source.pointer).toBe('/data/zzz');
  });

  it('rejects undeclared keys inside array items with an index pointer', () => {
    const schema = p.object({ items: p.array(p.object({ name: p.string() })) });
    expect(
      err(validateParams(schema, { items: [{ name: 'a' }, { name: 'b', bad_key: 1 }] })),
    ).toEqual({ detail: 'unpermitted parameter', source: { pointer: '/items/1/badKey' } });
  });

  it('rejects role-conditional keys for other roles', () => {
    expect(err(validateParams(licenseCreate, body({ maxMachines: 5 }), user))).toEqual({
      detail: 'unpermitted parameter',
      source: { pointer: '/data/attributes/maxMachines' },
    });
    expect(err(validateParams(licenseCreate, body({ maxMachines: null }), user)).detail).toBe(
      'unpermitted parameter',
    );
    expect(
      err(validateParams(licenseCreate, body(undefined, { id: USER_ID }), user)).source.pointer,
    ).toBe('/data/id');
    expect(validateParams(licenseCreate, body({ maxMachines: 5 }), admin).ok).toBe(true);
  });

  it('checks unknown keys before role-conditional keys', () => {
    const input = body({ maxMachines: 5, nope: 1 });
    expect(err(validateParams(licenseCreate, input, user)).source.pointer).toBe(
      '/data/attributes/nope',
    );
  });

  it('supports unless guards', () => {
    const schema = p.object({ a: p.string({ optional: true, unless: (c) => c.role === 'user' }) });
    expect(err(validateParams(schema, { a: 'x' }, user)).detail).toBe('unpermitted parameter');
    expect(validateParams(schema, { a: 'x' }, admin).ok).toBe(true);
  });
});

describe('validateParams — presence, null and blank', () => {
  it('reports missing data and missing nested keys', () => {
    expect(err(validateParams(licenseCreate, {}, admin))).toEqual({
      detail: 'is missing',
      source: { pointer: '/data' },
    });
    expect(err(validateParams(licenseCreate, undefined, admin)).source.pointer).toBe('/data');
    const noPolicy = { data: { type: 'licenses', relationships: {} } };
    expect(err(validateParams(licenseCreate, noPolicy, admin))).toEqual({
      detail: 'is missing',
      source: { pointer: '/data/relationships/policy' },
    });
    expect(
      err(validateParams(licenseCreate, { data: { type: 'licenses' } }, admin)).source.pointer,
    ).toBe('/data/relationships');
    expect(err(validateParams(licenseCreate, { data: {} }, admin)).source.pointer).toBe(
      '/data/type',
    );
  });

  it('reports a missing required attribute', () => {
    const schema = jsonApiEnvelope({
      type: ['user', 'users'],
      attributes: p.object(
        { email: p.string(), first_name: p.string({ optional: true }) },
        {
          optional: false,
        },
      ),
    });
    expect(err(validateParams(schema, { data: { type: 'users', attributes: {} } }))).toEqual({
      detail: 'is missing',
      source: { pointer: '/data/attributes/email' },
    });
  });

  it('does not check children of a missing optional object', () => {
    const input = {
      data: {
        type: 'licenses',
        relationships: { policy: { data: { type: 'policies', id: POLICY_ID } } },
      },
    };
    expect(validateParams(licenseCreate, input, admin).ok).toBe(true);
  });

  it('null for a required key → cannot be null; null optional → dropped', () => {
    const required = body(undefined, {
      relationships: { policy: { data: null } },
    });
    expect(err(validateParams(licenseCreate, required, admin))).toEqual({
      detail: 'cannot be null',
      source: { pointer: '/data/relationships/policy/data' },
    });
    const r = validateParams(licenseCreate, body({ key: null, protected: null }), admin);
    expect(r.ok && (r.value.data as Record<string, unknown>).attributes).toEqual({});
    const rootNull = validateParams(licenseCreate, { data: null }, admin);
    expect(err(rootNull)).toEqual({ detail: 'cannot be null', source: { pointer: '/data' } });
  });

  it('blank strings/arrays/objects → cannot be blank unless allowed', () => {
    expect(err(validateParams(licenseCreate, body({ key: '' }), admin))).toEqual({
      detail: 'cannot be blank',
      source: { pointer: '/data/attributes/key' },
    });
    expect(err(validateParams(licenseCreate, body({ key: ' \t\n' }), admin)).detail).toBe(
      'cannot be blank',
    );
    expect(validateParams(licenseCreate, body({ name: '' }), admin).ok).toBe(true);
    expect(validateParams(licenseCreate, body({ metadata: {} }), admin).ok).toBe(true);
    const scalars = p.object({ tags: p.array(), opts: p.hash({ scalarsOnly: true }) });
    expect(err(validateParams(scalars, { tags: [], opts: { a: 1 } })).detail).toBe(
      'cannot be blank',
    );
    expect(err(validateParams(scalars, { tags: ['a'], opts: {} })).source.pointer).toBe('/opts');
  });

  it('never treats false or 0 as blank', () => {
    const schema = p.object({ a: p.boolean(), b: p.integer() });
    expect(validateParams(schema, { a: false, b: 0 })).toEqual({
      ok: true,
      value: { a: false, b: 0 },
    });
  });

  it('keeps null for nullable keys', () => {
    const r = validateParams(licenseCreate, body({ maxMachines: null }), admin);
    expect(r.ok && (r.value.data as Record<string, unknown>).attributes).toEqual({
      max_machines: null,
    });
  });
});

describe('validateParams — types', () => {
  const schema = p.object({
    s: p.string({ optional: true }),
    i: p.integer({ optional: true }),
    f: p.float({ optional: true }),
    n: p.number({ optional: true }),
    b: p.boolean({ optional: true }),
    o: p.object({}, { optional: true }),
    a: p.array(p.any(), { optional: true }),
    u: p.uuid({ optional: true }),
    t: p.time({ optional: true, coerce: false }),
    h: p.hash({ optional: true }),
  });
  const mismatch = (input: Record<string, unknown>) => err(validateParams(schema, input)).detail;

  it.each([
    [{ s: 1 }, 'type mismatch (received integer expected string)'],
    [{ s: 1.5 }, 'type mismatch (received float expected string)'],
    [{ s: true }, 'type mismatch (received boolean expected string)'],
    [{ s: {} }, 'type mismatch (received object expected string)'],
    [{ s: [] }, 'type mismatch (received array expected string)'],
    [{ i: 1.5 }, 'type mismatch (received float expected integer)'],
    [{ i: '1' }, 'type mismatch (received string expected integer)'],
    [{ f: 'x' }, 'type mismatch (received string expected float)'],
    [{ n: 'x' }, 'type mismatch (received string expected number)'],
    [{ b: 'true' }, 'type mismatch (received string expected boolean)'],
    [{ o: [] }, 'type mismatch (received array expected object)'],
    [{ a: {} }, 'type mismatch (received object expected array)'],
    [{ u: 'not-a-uuid' }, 'type mismatch (received string expected UUID string)'],
    [{ u: 42 }, 'type mismatch (received integer expected UUID string)'],
    [{ t: '2024-01-01' }, 'type mismatch (received string expected time)'],
    [{ h: 'x' }, 'type mismatch (received string expected object)'],
  ])('%j → %s', (input, detail) => {
    expect(mismatch(input)).toBe(detail);
  });

  it('accepts matching types (floats accept integers)', () => {
    expect(
      validateParams(schema, {
        s: 'x',
        i: 2,
        f: 2,
        n: 1.5,
        b: true,
        o: {},
        a: [],
        u: '0b4b1a9de6a94e3ca6f39b8c1f8c2a11',
        h: { k: 'v' },
      }).ok,
    ).toBe(true);
  });

  it('reports the pointer of the offending key in camelCase', () => {
    const r = validateParams(licenseCreate, body({ maxMachines: 'five' }), admin);
    expect(err(r)).toEqual({
      detail: 'type mismatch (received string expected integer)',
      source: { pointer: '/data/attributes/maxMachines' },
    });
  });

  it('uses numeric array indices in pointers', () => {
    const r = validateParams(licenseCreate, body({ permissions: ['license.read', 5] }), admin);
    expect(err(r)).toEqual({
      detail: 'type mismatch (received integer expected string)',
      source: { pointer: '/data/attributes/permissions/1' },
    });
  });

  it('validates children before parents in schema order', () => {
    const s = p.object({ a: p.object({ x: p.integer() }), b: p.string() });
    expect(err(validateParams(s, { b: 1, a: { x: 'no' } })).source.pointer).toBe('/a/x');
    expect(err(validateParams(s, { b: 1, a: { x: 1 } })).source.pointer).toBe('/b');
  });
});

describe('validateParams — validations', () => {
  it('inclusion → is invalid (data.type)', () => {
    const r = validateParams(
      licenseCreate,
      { ...(body() as object), data: { type: 'users' } },
      admin,
    );
    expect(err(r)).toEqual({ detail: 'is invalid', source: { pointer: '/data/type' } });
    const rel = body(undefined, {
      relationships: { policy: { data: { type: 'products', id: POLICY_ID } } },
    });
    expect(err(validateParams(licenseCreate, rel, admin)).source.pointer).toBe(
      '/data/relationships/policy/data/type',
    );
  });

  it('format → format is invalid', () => {
    const s = p.object({ code: p.string({ format: /^[A-Z]+$/ }) });
    expect(err(validateParams(s, { code: 'abc' }))).toEqual({
      detail: 'format is invalid',
      source: { pointer: '/code' },
    });
    expect(validateParams(s, { code: 'ABC' }).ok).toBe(true);
  });

  it.each([
    [{ min: 2, max: 4 }, 'x', 'length must be between 2 and 4 (inclusive)'],
    [{ min: 2 }, 'x', 'length must be greater than or equal to 2'],
    [{ max: 2 }, 'xyz', 'length must be less than or equal to 2'],
    [{ is: 2 }, 'xyz', 'length must be equal to 2'],
  ])('length %j on %j → %s', (length, value, detail) => {
    const s = p.object({ v: p.string({ length }) });
    expect(err(validateParams(s, { v: value })).detail).toBe(detail);
  });

  it('counts code points for string length', () => {
    const s = p.object({ v: p.string({ length: { max: 2 } }) });
    expect(validateParams(s, { v: '😀😀' }).ok).toBe(true);
  });

  it('exclusion and custom validate → is invalid', () => {
    const s = p.object({
      a: p.string({ optional: true, exclusion: ['bad'] }),
      b: p.integer({ optional: true, validate: (v) => v > 0 }),
    });
    expect(err(validateParams(s, { a: 'bad' })).detail).toBe('is invalid');
    expect(err(validateParams(s, { b: -1 })).source.pointer).toBe('/b');
  });
});

describe('validateParams — hashes (metadata)', () => {
  it('reports maximum depth with a pointer at the first too-deep element', () => {
    const metadata = {
      key: ['value'],
      object: { key: { k: 'v' } },
      array: [[0], [{ foo: 1 }, 2, [3]]],
    };
    expect(err(validateParams(licenseCreate, body({ metadata }), admin))).toEqual({
      detail: 'maximum depth of 2 exceeded',
      source: { pointer: '/data/attributes/metadata/array/1/0' },
    });
    const nested = { object: { nested: [{ key: 'value' }] } };
    expect(
      err(validateParams(licenseCreate, body({ metadata: nested }), admin)).source.pointer,
    ).toBe('/data/attributes/metadata/object/nested/0');
    const arr = { array: [{ foo: 1 }, { bar: 2 }, { baz: [3] }] };
    expect(err(validateParams(licenseCreate, body({ metadata: arr }), admin)).source.pointer).toBe(
      '/data/attributes/metadata/array/2/baz',
    );
  });

  it('camelizes metadata keys in depth pointers', () => {
    const metadata = snakeizeKeys({ someObject: { innerKey: { deepKey: { x: 1 } } } });
    expect(err(validateParams(licenseCreate, body({ metadata }), admin)).source.pointer).toBe(
      '/data/attributes/metadata/someObject/innerKey/deepKey',
    );
  });

  it('accepts two container levels', () => {
    const ok = { a: { b: { c: 1 } }, arr: ['foo', { key: 'value' }] };
    expect(validateParams(licenseCreate, body({ metadata: ok }), admin).ok).toBe(true);
  });

  it('scalar-only hashes and arrays reject containers', () => {
    const s = p.object({
      h: p.hash({ scalarsOnly: true, optional: true }),
      a: p.array(null, { optional: true }),
    });
    expect(err(validateParams(s, { h: { a: 1, b: { c: 1 } } }))).toEqual({
      detail: 'unpermitted type (expected object of scalar types)',
      source: { pointer: '/h/b' },
    });
    expect(err(validateParams(s, { a: ['x', ['y']] }))).toEqual({
      detail: 'unpermitted type (expected array of scalar types)',
      source: { pointer: '/a/1' },
    });
  });

  it('requires metadata to be an object', () => {
    expect(err(validateParams(licenseCreate, body({ metadata: [] }), admin)).detail).toBe(
      'type mismatch (received array expected object)',
    );
  });
});

describe('validateParams — coercion, transforms, aliases', () => {
  const query = p.object({
    ttl: p.integer({ coerce: true, optional: true, nullable: true }),
    encrypt: p.boolean({ coerce: true, optional: true }),
    include: p.array(null, { coerce: true, optional: true, allowBlank: true }),
    expiry: p.time({ optional: true }),
  });
  const q = (input: Record<string, unknown>) =>
    validateParams(query, input, {}, { source: 'parameter' });

  it('coerces query strings with Ruby semantics', () => {
    expect(q({ ttl: '3600', encrypt: 'true', include: 'entitlements,product' })).toEqual({
      ok: true,
      value: { ttl: 3600, encrypt: true, include: ['entitlements', 'product'] },
    });
    expect(q({ encrypt: '1' })).toEqual({ ok: true, value: { encrypt: true } });
    expect(q({ encrypt: '0' })).toEqual({ ok: true, value: { encrypt: false } });
    expect(q({ ttl: 'abc' })).toEqual({ ok: true, value: { ttl: 0 } });
    expect(q({ ttl: '' })).toEqual({ ok: true, value: { ttl: null } });
  });

  it('reports coercion failures with Ruby type names and bracket parameters', () => {
    expect(err(q({ ttl: ['1'] }))).toEqual({
      detail: 'failed to coerce array to integer',
      source: { parameter: 'ttl' },
    });
    expect(err(q({ ttl: { a: '1' } })).detail).toBe('failed to coerce hash to integer');
    expect(err(q({ expiry: '2024-13-45' })).detail).toBe('failed to coerce string to time');
  });

  it('uses bracket notation for nested query parameters', () => {
    const s = p.object({ page: p.object({ size: p.integer({ coerce: true }) }) });
    expect(err(validateParams(s, { page: {} }, {}, { source: 'parameter' }))).toEqual({
      detail: 'is missing',
      source: { parameter: 'page[size]' },
    });
  });

  it('ignores unknown query parameters (non-strict)', () => {
    expect(q({ foo: 'bar', ttl: '5' })).toEqual({ ok: true, value: { ttl: 5 } });
  });

  it('fails time coercion for booleans and floats in bodies', () => {
    expect(err(validateParams(licenseCreate, body({ expiry: true }), admin))).toEqual({
      detail: 'failed to coerce boolean to time',
      source: { pointer: '/data/attributes/expiry' },
    });
    expect(err(validateParams(licenseCreate, body({ expiry: 1.5 }), admin)).detail).toBe(
      'failed to coerce float to time',
    );
  });

  it('applies transforms and output renames after validation', () => {
    const s = p.object({
      include: p.array(p.string(), {
        optional: true,
        transform: (v) => v.map((x) => (x === 'user' ? 'owner' : x)),
      }),
      name: p.string({ as: 'title', transform: (v) => v.trim() }),
      drop: p.string({ optional: true, transform: () => undefined }),
    });
    expect(validateParams(s, { include: ['user'], name: ' x ', drop: 'y' })).toEqual({
      ok: true,
      value: { include: ['owner'], title: 'x' },
    });
  });

  it('accepts aliased keys (relationships.user as owner) and reports canonical pointers', () => {
    const r = body(undefined, {
      relationships: {
        policy: { data: { type: 'policies', id: POLICY_ID } },
        user: { data: { type: 'users', id: 'nope' } },
      },
    });
    expect(err(validateParams(licenseCreate, r, admin))).toEqual({
      detail: 'type mismatch (received string expected UUID string)',
      source: { pointer: '/data/relationships/owner/data/id' },
    });
  });
});

describe('schema helpers', () => {
  it('jsonApiEnvelope makes attributes/relationships/meta optional unless marked required', () => {
    const s = jsonApiEnvelope({
      type: ['machine', 'machines'],
      attributes: p.object({ fingerprint: p.string() }),
      meta: p.object({ nonce: p.integer() }),
    });
    expect(validateParams(s, { data: { type: 'machines' } })).toEqual({
      ok: true,
      value: { data: { type: 'machines' } },
    });
    const search = jsonApiEnvelope({
      type: [],
      dataOptional: true,
      meta: p.object({ type: p.string(), query: p.hash() }, { optional: false }),
    });
    expect(err(validateParams(search, {}))).toEqual({
      detail: 'is missing',
      source: { pointer: '/meta' },
    });
    expect(err(validateParams(search, { meta: { type: 'licenses', query: {} } }))).toEqual({
      detail: 'cannot be blank',
      source: { pointer: '/meta/query' },
    });
  });

  it('linkage/linkageMany build relationship nodes', () => {
    const s = p.object({
      one: linkage(['product', 'products'], { nullable: true }),
      many: linkageMany(['entitlement', 'entitlements'], { optional: true }),
    });
    expect(validateParams(s, { one: { data: null } }).ok).toBe(true);
    expect(
      validateParams(s, {
        one: { data: { type: 'products', id: POLICY_ID } },
        many: { data: [{ type: 'entitlements', id: USER_ID }] },
      }).ok,
    ).toBe(true);
    expect(
      err(validateParams(s, { one: { data: null }, many: { data: [{ type: 'x', id: USER_ID }] } })),
    ).toEqual({ detail: 'is invalid', source: { pointer: '/many/data/0/type' } });
  });

  it('normalizeUuid lower-cases and hyphenates', () => {
    expect(normalizeUuid('0B4B1A9DE6A94E3CA6F39B8C1F8C2A11')).toBe(POLICY_ID);
  });
});

import {
  defineSerializer,
  type RenderContext,
  renderDocument,
  renderResource,
  timestamp,
} from './document';

interface License {
  id: string;
  name: string | null;
  policyId: string;
  ownerId: string | null;
  createdAt: Date;
  machineCount: number;
}

const ACCOUNT = '11111111-1111-4111-8111-111111111111';
const ctx: RenderContext = { accountId: ACCOUNT, apiVersion: '1.7', now: new Date(0) };

const licenses = defineSerializer<License>({
  type: 'licenses',
  self: (r, c) => `/v1/accounts/${c.accountId}/licenses/${r.id}`,
  attributes: (r) => ({ name: r.name, created: timestamp(r.createdAt) }),
  relationships: {
    account: {
      linkage: (_r, c) => ({ type: 'accounts', id: c.accountId }),
      related: (_r, c) => `/v1/accounts/${c.accountId}`,
    },
    policy: {
      linkage: (r) => ({ type: 'policies', id: r.policyId }),
      related: (r, c) => `/v1/accounts/${c.accountId}/licenses/${r.id}/policy`,
    },
    owner: {
      linkage: (r) => (r.ownerId ? { type: 'users', id: r.ownerId } : null),
      related: (r, c) => (r.ownerId ? `/v1/accounts/${c.accountId}/licenses/${r.id}/owner` : null),
    },
    requestor: { linkage: () => null, related: () => 'x', omitLinksWhenNull: true },
    machines: {
      kind: 'many',
      related: (r, c) => `/v1/accounts/${c.accountId}/licenses/${r.id}/machines`,
      meta: (r) => ({ count: r.machineCount }),
    },
    tokens: {
      kind: 'many',
      related: (r, c) => `/v1/accounts/${c.accountId}/licenses/${r.id}/tokens`,
    },
  },
});

const lic: License = {
  id: '22222222-2222-4222-8222-222222222222',
  name: 'Test',
  policyId: '33333333-3333-4333-8333-333333333333',
  ownerId: null,
  createdAt: new Date('2024-06-04T16:18:36.789Z'),
  machineCount: 2,
};

describe('renderResource', () => {
  it('renders members in Keygen order', () => {
    const res = renderResource(licenses, lic, ctx);
    expect(Object.keys(res)).toEqual(['id', 'type', 'attributes', 'relationships', 'links']);
    expect(JSON.stringify(res)).toBe(
      JSON.stringify({
        id: lic.id,
        type: 'licenses',
        attributes: { name: 'Test', created: '2024-06-04T16:18:36.789Z' },
        relationships: {
          account: {
            links: { related: `/v1/accounts/${ACCOUNT}` },
            data: { type: 'accounts', id: ACCOUNT },
          },
          policy: {
            links: { related: `/v1/accounts/${ACCOUNT}/licenses/${lic.id}/policy` },
            data: { type: 'policies', id: lic.policyId },
          },
          owner: { links: { related: null }, data: null },
          requestor: { data: null },
          machines: {
            links: { related: `/v1/accounts/${ACCOUNT}/licenses/${lic.id}/machines` },
            meta: { count: 2 },
          },
          tokens: { links: { related: `/v1/accounts/${ACCOUNT}/licenses/${lic.id}/tokens` } },
        },
        links: { self: `/v1/accounts/${ACCOUNT}/licenses/${lic.id}` },
      }),
    );
  });

  it('adds meta last and honours a custom id accessor', () => {
    const s = defineSerializer<{ key: string }>({
      type: 'things',
      id: (r) => r.key,
      self: (r) => `/things/${r.key}`,
      attributes: () => ({ a: 1 }),
      meta: () => ({ ts: 'x' }),
    });
    const res = renderResource(s, { key: 'k' }, ctx);
    expect(Object.keys(res)).toEqual(['id', 'type', 'attributes', 'links', 'meta']);
    expect(res.id).toBe('k');
  });

  it('renders custom resource links in place of self', () => {
    const s = defineSerializer<{ id: string }>({
      type: 'joins',
      self: () => '/unused',
      links: (r) => ({ related: `/parents/p/joins/${r.id}` }),
      attributes: () => ({}),
    });
    const res = renderResource(s, { id: '1' }, ctx);
    expect(res.links).toEqual({ related: '/parents/p/joins/1' });
    expect(Object.keys(res)).toEqual(['id', 'type', 'attributes', 'links']);
  });

  it('renders a to-one without a related function as data only', () => {
    const s = defineSerializer<{ id: string }>({
      type: 'x',
      self: () => '/x',
      attributes: () => ({}),
      relationships: { thing: { linkage: () => ({ type: 't', id: '1' }) } },
    });
    expect(renderResource(s, { id: '1' }, ctx).relationships).toEqual({
      thing: { data: { type: 't', id: '1' } },
    });
  });
});

describe('renderDocument', () => {
  it('orders data, included, links, meta and omits empty links/included', () => {
    const doc = renderDocument(licenses, [lic], ctx, {
      meta: { count: 1 },
      links: { self: '/x', next: null },
      included: [{ id: 'i' }],
    });
    expect(Object.keys(doc)).toEqual(['data', 'included', 'links', 'meta']);
    const bare = renderDocument(licenses, [lic], ctx, { links: {}, included: [] });
    expect(Object.keys(bare)).toEqual(['data']);
  });

  it('renders null and single resources', () => {
    expect(JSON.stringify(renderDocument(licenses, null, ctx))).toBe('{"data":null}');
    expect((renderDocument(licenses, lic, ctx).data as { id: string }).id).toBe(lic.id);
    expect(renderDocument(licenses, [], ctx)).toEqual({ data: [] });
  });
});

describe('timestamp', () => {
  it('formats with exactly 3 fractional digits in UTC', () => {
    expect(timestamp(new Date('2024-06-04T16:18:36Z'))).toBe('2024-06-04T16:18:36.000Z');
    expect(timestamp(new Date('2024-06-04T16:18:36.789Z'))).toBe('2024-06-04T16:18:36.789Z');
  });

  it('accepts strings, truncating sub-millisecond digits', () => {
    expect(timestamp('2024-06-04 16:18:36.789999+00')).toBe('2024-06-04T16:18:36.789Z');
    expect(timestamp('2024-06-04T18:18:36.5+02:00')).toBe('2024-06-04T16:18:36.500Z');
    expect(timestamp('2024-06-04T16:18:36Z')).toBe('2024-06-04T16:18:36.000Z');
  });

  it('returns null for null, undefined and invalid input', () => {
    expect(timestamp(null)).toBeNull();
    expect(timestamp(undefined)).toBeNull();
    expect(timestamp('nope')).toBeNull();
  });
});

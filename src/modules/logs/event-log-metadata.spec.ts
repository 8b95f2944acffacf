import { diff, eventMetadata } from './event-log-metadata';

describe('eventMetadata (spec 06 §2.6 rule 5)', () => {
  it('carries the validation code', () => {
    expect(
      eventMetadata({
        name: 'license.validation.failed',
        type: 'licenses',
        record: {},
        meta: { code: 'EXPIRED' },
      }),
    ).toEqual({
      metadata: { code: 'EXPIRED' },
    });
    expect(
      eventMetadata({ name: 'license.validation.succeeded', type: 'licenses', record: {} }),
    ).toEqual({
      metadata: { code: null },
    });
  });

  it('diffs updates of diffable records only', () => {
    const at = new Date('2024-06-04T16:18:36.789Z');
    const changes = { name: ['a', 'b'], updatedAt: [at, at] } as const;
    expect(
      eventMetadata({ name: 'license.updated', type: 'licenses', record: {}, changes }),
    ).toEqual({
      metadata: {
        diff: {
          name: ['a', 'b'],
          updated: ['2024-06-04T16:18:36.789Z', '2024-06-04T16:18:36.789Z'],
        },
      },
    });
    expect(
      eventMetadata({
        name: 'license.policy.updated',
        type: 'licenses',
        record: {},
        changes: { policyId: ['p1', 'p2'] },
      }),
    ).toEqual({
      metadata: { diff: { policy_id: ['p1', 'p2'] } },
    });
    expect(eventMetadata({ name: 'user.updated', type: 'users', record: {} })).toEqual({
      metadata: { diff: {} },
    });
    expect(eventMetadata({ name: 'group.updated', type: 'groups', record: {}, changes })).toEqual({
      metadata: {},
    });
    expect(
      eventMetadata({ name: 'account.updated', type: 'accounts', record: {}, changes }),
    ).toEqual({ metadata: {} });
  });

  it('hands entitlement ids of attach/detach rows to the writer', () => {
    expect(
      eventMetadata({
        name: 'policy.entitlements.detached',
        type: 'policy-entitlements',
        record: [{ entitlementId: 'e1' }, { entitlementId: 'e2' }],
      }),
    ).toEqual({ metadata: { codes: [] }, entitlementIds: ['e1', 'e2'] });
  });

  it('describes downloads and upgrades', () => {
    const release = { productId: 'p', packageId: null, version: '1.2.3' };
    expect(
      eventMetadata({ name: 'release.downloaded', type: 'releases', record: release }),
    ).toEqual({
      metadata: { product: 'p', package: null, version: '1.2.3' },
    });
    expect(
      eventMetadata({
        name: 'release.upgraded',
        type: 'releases',
        record: release,
        meta: { current: '1.0.0', next: { version: '1.2.3' } },
      }),
    ).toEqual({ metadata: { product: 'p', package: null, prev: '1.0.0', next: '1.2.3' } });
  });

  it('is empty for everything else', () => {
    expect(eventMetadata({ name: 'license.created', type: 'licenses', record: {} })).toEqual({
      metadata: {},
    });
  });
});

describe('diff', () => {
  it('names attributes like Keygen and redacts secrets by attribute name', () => {
    expect(
      diff({
        passwordDigest: ['$2a$12$abcdefghijklmnopqrstuv', '$2a$12$zyxwvutsrqponmlkjihgfe'],
        key: ['AAAA-BBBB-CCCC-DDDD-EEEE-FFFF', 'GGGG-HHHH-IIII-JJJJ-KKKK-LLLL'],
        lastValidatedAt: [null, '2024-01-01T00:00:00.000Z'],
        metadata: [{}, { api_token: 'abcdefghijklmnopqrstuvwxyz', tier: 2 }],
        max_machines: [1, 5],
      }),
    ).toEqual({
      password: ['$2a$...stuv', '$2a$...hgfe'],
      key: ['AAAA...FFFF', 'GGGG...LLLL'],
      last_validated: [null, '2024-01-01T00:00:00.000Z'],
      metadata: [{}, { api_token: 'abcd...wxyz', tier: 2 }],
      max_machines: [1, 5],
    });
  });
});

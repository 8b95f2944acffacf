import { castBoolean, parseFilterTime, parseLicenseFilters } from './license-filters';

const NOW = new Date('2024-01-10T12:00:00.000Z');
const parse = (q: Record<string, unknown>) => parseLicenseFilters(q, NOW).clauses;

describe('parseLicenseFilters', () => {
  it('ignores blank and wrongly-shaped values', () => {
    expect(
      parse({ policy: '', product: ['x'], status: { a: 1 }, expires: 'x', activity: '' }),
    ).toEqual([]);
  });

  it('matches nothing for non-UUID ids and unknown statuses', () => {
    expect(parse({ policy: 'nope' })).toEqual([{ kind: 'none' }]);
    expect(parse({ machine: 'nope' })).toEqual([{ kind: 'none' }]);
    expect(parse({ status: 'weird' })).toEqual([{ kind: 'none' }]);
  });

  it('normalises UUIDs and reads owner/user e-mails', () => {
    expect(parse({ product: 'A1B2C3D4E5F64A7B8C9D0E1F2A3B4C5D' })).toEqual([
      { kind: 'column', column: 'product_id', value: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' },
    ]);
    expect(parse({ owner: 'a@b.c', user: 'a@b.c' })).toEqual([
      { kind: 'ownerEmail', email: 'a@b.c' },
      { kind: 'user', id: null, email: 'a@b.c' },
    ]);
  });

  it('reads statuses case-insensitively', () => {
    expect(parse({ status: 'expired' })).toEqual([{ kind: 'expired', value: true, now: NOW }]);
    expect(parse({ status: 'Active' })).toEqual([
      { kind: 'activity', active: true, since: new Date('2023-10-12T12:00:00.000Z') },
    ]);
  });

  it('casts booleans like ActiveRecord', () => {
    expect(['true', '1', 't', 'yes'].map(castBoolean)).toEqual([true, true, true, true]);
    expect(['false', '0', 'f', 'off'].map(castBoolean)).toEqual([false, false, false, false]);
    expect(parse({ unassigned: 'true', activated: '0' })).toEqual([
      { kind: 'assigned', value: false },
      { kind: 'activations', op: '<=', n: 0 },
    ]);
  });

  it('reads expired[...] sub-params, with calendar durations', () => {
    expect(parse({ expired: { within: '1M' } })).toEqual([
      {
        kind: 'expiry',
        checks: [
          ['<', NOW],
          ['>=', new Date('2023-12-10T12:00:00.000Z')],
        ],
      },
    ]);
    expect(parse({ expired: { in: '3600' } })[0]).toMatchObject({
      checks: [
        ['<', NOW],
        ['>=', new Date('2024-01-10T11:00:00.000Z')],
      ],
    });
    expect(parse({ expired: { on: '2024-01-05' } })[0]).toEqual({
      kind: 'expiry',
      checks: [
        ['<', NOW],
        ['>=', new Date('2024-01-05T00:00:00.000Z')],
        ['<=', new Date('2024-01-05T23:59:59.999Z')],
      ],
    });
    expect(parse({ expired: { foo: 'bar' } })).toEqual([
      { kind: 'expired', value: true, now: NOW },
    ]);
    expect(parse({ expired: 'false' })).toEqual([{ kind: 'expired', value: false, now: NOW }]);
  });

  it.each([
    [{ expired: { within: 'invalid' } }],
    [{ expires: { within: '0' } }],
    [{ expires: { before: '90d' } }],
    [{ expires: { on: '2024-02-30' } }],
    [{ expires: { nothing: '1' } }],
    [{ activity: { after: 'soon' } }],
  ])('matches nothing for %j', (q) => {
    const clauses = parse(q);
    // `within: 0` is a valid but empty window; everything else is invalid
    expect(clauses.length).toBe(1);
    if (clauses[0].kind === 'expiry') {
      const [[, from], [, to]] = clauses[0].checks;
      expect(from.getTime()).toBe(to.getTime());
    } else {
      expect(clauses[0]).toEqual({ kind: 'none' });
    }
  });

  it('reads activity and activations', () => {
    expect(parse({ activity: { outside: '2w' } })).toEqual([
      { kind: 'activity', active: false, since: new Date('2023-12-27T12:00:00.000Z') },
    ]);
    expect(parse({ activity: { after: '1704067200' } })).toEqual([
      { kind: 'activity', active: true, since: new Date('2024-01-01T00:00:00.000Z') },
    ]);
    expect(parse({ activations: { gte: '2', lt: '5' } })).toEqual([
      { kind: 'activations', op: '>=', n: 2 },
    ]);
    expect(parse({ activations: { eq: 'abc' } })).toEqual([{ kind: 'activations', op: '=', n: 0 }]);
  });

  it('snake-cases metadata keys and adds typed candidates', () => {
    expect(parse({ metadata: { someKey: '1', flag: 'true', tags: ['a'] } })).toEqual([
      { kind: 'metadata', candidates: [{ some_key: '1' }, { some_key: 1 }] },
      { kind: 'metadata', candidates: [{ flag: 'true' }, { flag: true }] },
      { kind: 'metadata', candidates: [{ tags: ['a'] }] },
    ]);
  });

  it('only reads the filters a route allows', () => {
    expect(
      parseLicenseFilters({ owner: 'x@y.z', suspended: 'true' }, NOW, ['suspended']).clauses,
    ).toEqual([{ kind: 'suspended', value: true }]);
  });
});

describe('parseFilterTime', () => {
  it('reads unix seconds and ISO times', () => {
    expect(parseFilterTime('0')).toEqual(new Date(0));
    expect(parseFilterTime('2024-01-02')).toEqual(new Date('2024-01-02T00:00:00Z'));
    expect(parseFilterTime('2024-01-02T03:04:05+02:00')).toEqual(new Date('2024-01-02T01:04:05Z'));
    expect(parseFilterTime('90d')).toBeNull();
    expect(parseFilterTime('2024-13-01')).toBeNull();
  });
});

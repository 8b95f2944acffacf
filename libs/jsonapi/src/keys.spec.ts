import { camelizeKeys, camelKey, snakeizeKeys, snakeKey, underscoreKey } from './keys';

describe('snakeKey', () => {
  it.each([
    ['maxMachines', 'max_machines'],
    ['max_machines', 'max_machines'],
    ['MaxMachines', 'max_machines'],
    ['foo.bar', 'foo_bar'],
    ['_private', 'private'],
    ['HTTPServer', 'http_server'],
    ['fooBAR', 'foo_bar'],
    ['ID', 'id'],
    ['id', 'id'],
    ['foo-bar', 'foo_bar'],
    ['foo  bar', 'foo_bar'],
    ['foo__bar', 'foo_bar'],
    ['__foo__', 'foo'],
    ['a1B', 'a1_b'],
    ['ABCd', 'ab_cd'],
    ['A::B', 'a_b'],
    ['requireCheckIn', 'require_check_in'],
    ['Ärger', 'arger'],
    ['straße', 'strasse'],
    ['Ça va', 'ca_va'],
    ['e\u0301t\u00e9', 'ete'],
    ['a日b', 'a_b'],
    ['日本', ''],
    ['key1', 'key1'],
    ['1key', '1key'],
  ])('%j → %j', (input, expected) => {
    expect(snakeKey(input)).toBe(expected);
    expect(snakeKey(input)).toBe(expected); // memoised path
  });
});

describe('underscoreKey', () => {
  it('is Rails underscore without parameterize', () => {
    expect(underscoreKey('maxMachines')).toBe('max_machines');
    expect(underscoreKey('foo.bar')).toBe('foo.bar');
    expect(underscoreKey('already_snake')).toBe('already_snake');
  });
});

describe('camelKey', () => {
  it.each([
    ['max_machines', 'maxMachines'],
    ['foo', 'foo'],
    ['a_b_c', 'aBC'],
    ['require_check_in', 'requireCheckIn'],
    ['max_MACHINES', 'maxMachines'],
    ['foo__bar', 'fooBar'],
    ['Foo', 'foo'],
    ['ID', 'iD'],
    ['key1_value2', 'key1Value2'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(camelKey(input)).toBe(expected);
  });
});

describe('snakeizeKeys', () => {
  it('normalises keys at every depth, including inside arrays, leaving values alone', () => {
    const input = {
      data: {
        type: 'licenses',
        attributes: {
          maxMachines: 5,
          metadata: { someKey: 'SomeValue', nested: [{ innerKey: 'innerValue' }, 'camelCase'] },
        },
      },
    };
    expect(snakeizeKeys(input)).toEqual({
      data: {
        type: 'licenses',
        attributes: {
          max_machines: 5,
          metadata: { some_key: 'SomeValue', nested: [{ inner_key: 'innerValue' }, 'camelCase'] },
        },
      },
    });
  });

  it('lets the last duplicate win after normalisation', () => {
    const out = snakeizeKeys(JSON.parse('{"maxMachines":1,"max_machines":2}')) as object;
    expect(out).toEqual({ max_machines: 2 });
    expect(Object.keys(out)).toEqual(['max_machines']);
  });

  it('never writes through __proto__', () => {
    const out = snakeizeKeys(JSON.parse('{"__proto__":{"polluted":true}}')) as Record<
      string,
      unknown
    >;
    expect(out.proto).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('passes scalars and null through', () => {
    expect(snakeizeKeys(null)).toBeNull();
    expect(snakeizeKeys('fooBar')).toBe('fooBar');
    expect(snakeizeKeys([1, { aB: 1 }])).toEqual([1, { a_b: 1 }]);
  });
});

describe('camelizeKeys', () => {
  const stored = { some_key: { nested_key: [{ deep_key: 1 }] }, other_key: 'snake_value' };

  it('is deep by default', () => {
    expect(camelizeKeys(stored)).toEqual({
      someKey: { nestedKey: [{ deepKey: 1 }] },
      otherKey: 'snake_value',
    });
  });

  it('depth 1 camelizes only top-level keys (API ≤ 1.4 metadata)', () => {
    expect(camelizeKeys(stored, { depth: 1 })).toEqual({
      someKey: { nested_key: [{ deep_key: 1 }] },
      otherKey: 'snake_value',
    });
  });
});

import { JsonInteger, exactInteger, jsonNumberLiterals, stringifyJson } from './exact';

describe('stringifyJson', () => {
  it('renders JsonInteger values as bare exact integers', () => {
    const doc = { a: new JsonInteger('9223372036854775807'), b: [new JsonInteger(-12n)], c: 'x' };
    expect(stringifyJson(doc)).toBe('{"a":9223372036854775807,"b":[-12],"c":"x"}');
  });

  it('is JSON.stringify for everything else', () => {
    const doc = { a: 1, b: 'kw-int-x:1', c: null, d: new Date(0) };
    expect(stringifyJson(doc)).toBe(JSON.stringify(doc));
  });

  it('falls back to a number under plain JSON.stringify', () => {
    expect(JSON.stringify({ a: new JsonInteger('12') })).toBe('{"a":12}');
  });

  it('rejects non-integers', () => {
    expect(() => new JsonInteger('1.5')).toThrow(TypeError);
  });
});

describe('exactInteger', () => {
  it('keeps safe integers as numbers and wraps the rest', () => {
    expect(exactInteger('42')).toBe(42);
    expect(exactInteger(null)).toBeNull();
    expect(exactInteger('9223372036854775807')).toBeInstanceOf(JsonInteger);
  });
});

describe('jsonNumberLiterals', () => {
  const paths = [
    ['data', 'attributes', 'memory'],
    ['data', 'attributes', 'disk'],
  ];

  it('returns the source text of numbers at the paths', () => {
    const text =
      '{"data":{"type":"machines","attributes":{"fingerprint":"a\\"}b","memory":9223372036854775807,"disk": 1.5e3,"x":[1,{"memory":2}]}}}';
    expect(jsonNumberLiterals(text, paths)).toEqual({
      'data.attributes.memory': '9223372036854775807',
      'data.attributes.disk': '1.5e3',
    });
  });

  it('keeps the last of repeated keys and skips non-numbers', () => {
    const text = '{"data":{"attributes":{"memory":1,"memory":2,"disk":"3","Disk":null}}}';
    expect(jsonNumberLiterals(text, paths, (k) => k.toLowerCase())).toEqual({
      'data.attributes.memory': '2',
    });
  });
});

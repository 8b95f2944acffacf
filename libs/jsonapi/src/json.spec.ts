import { containsNullByte, parseJsonBody } from './json';

const parse = (s: string) => parseJsonBody(Buffer.from(s, 'utf8'));
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('parseJsonBody', () => {
  it('parses a valid document', () => {
    expect(parse('{"data":{"type":"licenses"}}')).toEqual({
      ok: true,
      value: { data: { type: 'licenses' } },
    });
  });

  it('accepts scalar and array roots (wrapping is the caller’s job)', () => {
    expect(parse('[1,2]')).toEqual({ ok: true, value: [1, 2] });
    expect(parse('"x"')).toEqual({ ok: true, value: 'x' });
  });

  it.each([[''], ['   '], ['\n\t\r ']])('treats %j as no body', (body) => {
    expect(parse(body)).toEqual({ ok: true, value: undefined });
  });

  it.each([
    ['trailing garbage', '{"a":1} x'],
    ['two documents', '{"a":1}{"b":2}'],
    ['single quotes', "{'a':1}"],
    ['unquoted keys', '{a:1}'],
    ['trailing comma', '{"a":1,}'],
    ['truncated', '{"a":'],
    ['NaN', '{"a":NaN}'],
    ['lone high surrogate', '{"a":"\\ud800"}'],
    ['high surrogate followed by a non-surrogate', '{"a":"\\ud800\\u0041"}'],
    ['lone low surrogate', '{"a":"\\udc00"}'],
    ['lone surrogate in a key', '{"\\ud800":1}'],
  ])('rejects %s', (_name, body) => {
    expect(parse(body)).toEqual({ ok: false });
  });

  it('accepts a valid surrogate pair escape and literal backslash-u text', () => {
    expect(parse('{"a":"\\ud83d\\ude00"}')).toEqual({ ok: true, value: { a: '😀' } });
    expect(parse('{"a":"\\\\ud800"}')).toEqual({ ok: true, value: { a: '\\ud800' } });
  });

  it('rejects invalid UTF-8 bytes', () => {
    const bad = Buffer.concat([
      Buffer.from('{"a":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    expect(parseJsonBody(bad)).toEqual({ ok: false });
    const cesu = Buffer.concat([
      Buffer.from('{"a":"'),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from('"}'),
    ]);
    expect(parseJsonBody(cesu)).toEqual({ ok: false });
  });

  it('strips a UTF-8 BOM', () => {
    const buf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]);
    expect(parseJsonBody(buf)).toEqual({ ok: true, value: { a: 1 } });
  });

  it('allows nesting of exactly 100 and rejects 101', () => {
    expect(parse(nested(100)).ok).toBe(true);
    expect(parse(nested(101))).toEqual({ ok: false });
    const objects = (d: number) => '{"a":'.repeat(d - 1) + '{}' + '}'.repeat(d - 1);
    expect(parse(objects(100)).ok).toBe(true);
    expect(parse(objects(101))).toEqual({ ok: false });
  });

  it('ignores brackets inside strings for the depth check', () => {
    const body = JSON.stringify({ a: '['.repeat(500), b: '\\"['.repeat(200) });
    expect(parse(body).ok).toBe(true);
  });

  it('keeps the last duplicate key', () => {
    expect(parse('{"a":1,"a":2}')).toEqual({ ok: true, value: { a: 2 } });
  });
});

describe('containsNullByte', () => {
  it('finds U+0000 in values and keys at any depth', () => {
    expect(containsNullByte('a\u0000b')).toBe(true);
    expect(containsNullByte({ a: [{ b: 'x\u0000' }] })).toBe(true);
    expect(containsNullByte({ 'k\u0000': 1 })).toBe(true);
  });

  it('is false otherwise', () => {
    expect(containsNullByte({ a: [1, null, true, 'x', { b: '\\u0000' }] })).toBe(false);
    expect(containsNullByte(undefined)).toBe(false);
  });
});

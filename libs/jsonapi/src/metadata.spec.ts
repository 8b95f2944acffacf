import {
  metadataDepth,
  metadataFilterCandidates,
  metadataKeyCount,
  metadataModelError,
} from './metadata';

function keys(n: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    out[`key_${i}`] = i;
  }
  return out;
}

describe('metadataModelError', () => {
  it('accepts empty and ordinary metadata', () => {
    expect(metadataModelError({})).toBeNull();
    expect(metadataModelError(null)).toBeNull();
    expect(metadataModelError({ a: { b: { c: 1 } } })).toBeNull();
    expect(metadataModelError(keys(64))).toBeNull();
  });

  it('counts keys recursively (64 ok, 65 too many)', () => {
    expect(metadataModelError(keys(65))).toBe('too many keys (exceeded limit of 64 keys)');
    const nested = { ...keys(60), obj: keys(3), arr: [{ x: 1 }] };
    expect(metadataKeyCount(nested)).toBe(66);
    expect(metadataModelError(nested)).toBe('too many keys (exceeded limit of 64 keys)');
  });

  it('limits serialised size to 16384 bytes (UTF-8)', () => {
    const filler = (len: number) => ({ a: 'x'.repeat(len) });
    // {"a":"…"} adds 8 bytes around the value
    expect(metadataModelError(filler(16384 - 8))).toBeNull();
    expect(metadataModelError(filler(16384 - 7))).toBe('too large (exceeded limit of 16384 bytes)');
    expect(metadataModelError({ a: 'é'.repeat(8189) })).toBe(
      'too large (exceeded limit of 16384 bytes)',
    );
  });

  it('limits depth to 4 with the metadata object as level 1', () => {
    expect(metadataDepth({})).toBe(1);
    expect(metadataDepth({ a: { b: [1] } })).toBe(3);
    expect(metadataModelError({ a: { b: { c: { d: 1 } } } })).toBeNull();
    expect(metadataModelError({ a: { b: { c: { d: {} } } } })).toBe(
      'too many items (exceeded limit of 4 items)',
    );
    expect(metadataModelError({ a: [[[1]]] })).toBeNull();
    expect(metadataModelError({ a: [[[[1]]]] })).toBe('too many items (exceeded limit of 4 items)');
  });

  it('reports size before depth before keys', () => {
    const all = { ...keys(70), deep: { b: { c: { d: {} } } }, big: 'x'.repeat(17000) };
    expect(metadataModelError(all)).toBe('too large (exceeded limit of 16384 bytes)');
    const depthAndKeys = { ...keys(70), deep: { b: { c: { d: {} } } } };
    expect(metadataModelError(depthAndKeys)).toBe('too many items (exceeded limit of 4 items)');
  });
});

describe('metadataFilterCandidates', () => {
  it.each([
    ['true', ['true', true]],
    ['false', ['false', false]],
    ['null', ['null', null]],
    ['1624214616', ['1624214616', 1624214616]],
    ['1.5', ['1.5', 1.5]],
    ['1.', ['1.']],
    ['-1', ['-1']],
    ['True', ['True']],
    ['abc', ['abc']],
  ])('%j → %j', (value, expected) => {
    expect(metadataFilterCandidates(value)).toEqual(expected);
  });
});

import {
  API_VERSIONS,
  CURRENT_API_VERSION,
  isSupportedVersion,
  requestedVersion,
  versionLte,
  renderBreakpoint,
} from './versions';

describe('versions', () => {
  it('supports 1.0 through 1.8 and nothing else', () => {
    expect(API_VERSIONS).toEqual(['1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8']);
    expect(CURRENT_API_VERSION).toBe('1.8');
    for (const v of ['1.9', '1.5.0', '2.0', '1', '', 'v1.7', '01.7', '1.07']) {
      expect(isSupportedVersion(v)).toBe(false);
    }
  });

  describe('requestedVersion', () => {
    it.each<[string | string[] | undefined, string | null]>([
      [undefined, null],
      ['', null],
      ['   ', null],
      ['1.7', '1.7'],
      ['v1.7', '1.7'],
      [' v1.2 ', '1.2'],
      ['vv1.7', 'v1.7'],
      // compat: only a lower-case v is stripped (Ruby delete_prefix('v')).
      ['V1.7', 'V1.7'],
      [['1.3', '1.4'], '1.3'],
    ])('reads %p as %p', (header, expected) => {
      expect(requestedVersion(header)).toBe(expected);
    });
  });

  describe('versionLte', () => {
    it.each([
      ['1.0', '1.0', true],
      ['1.2', '1.3', true],
      ['1.3', '1.2', false],
      ['1.8', '1.10', true],
      ['1.10', '1.8', false],
      ['0.9', '1.0', true],
    ])('%s <= %s is %s', (a, b, expected) => {
      expect(versionLte(a, b)).toBe(expected);
    });
  });
});

describe('renderBreakpoint', () => {
  it('maps versions up to 1.5 to the 1.5 rendering and later ones to the current one', () => {
    expect(['1.0', '1.4', '1.5'].map(renderBreakpoint)).toEqual(['1.5', '1.5', '1.5']);
    expect(['1.6', '1.7', '1.8'].map(renderBreakpoint)).toEqual([null, null, null]);
  });
});

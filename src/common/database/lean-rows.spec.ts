import { LEAN_MIN_COLUMNS, leanRows, leanShape, type FieldInfo } from './lean-rows';

const TEXT = 25;
const TIMESTAMPTZ = 1184;
const INT8 = 20;

const cols = (n: number, type = TEXT): FieldInfo[] =>
  Array.from({ length: n }, (_, i) => ({ name: `c${i}`, dataTypeID: type }));

describe('leanShape', () => {
  it('leaves narrow results to pg', () => {
    expect(leanShape('SELECT 1', cols(LEAN_MIN_COLUMNS - 1))).toEqual({ lean: false });
  });

  it('wraps a wide SELECT as a subquery, reviving timestamps', () => {
    const fields = [...cols(8), { name: 'created_at', dataTypeID: TIMESTAMPTZ }];
    const shape = leanShape('SELECT * FROM t WHERE id = $1', fields);
    expect(shape).toEqual({
      lean: true,
      text: 'SELECT row_to_json(q) AS __kw_json FROM (SELECT * FROM t WHERE id = $1) q',
      dates: ['created_at'],
      passed: [],
    });
  });

  it('passes types JSON would change beside the JSON, quoted', () => {
    const fields = [...cols(8), { name: 'max "mem"', dataTypeID: INT8 }];
    const shape = leanShape('SELECT x', fields);
    expect(shape).toMatchObject({
      lean: true,
      text: 'SELECT row_to_json(q) AS __kw_json, q."max ""mem""" AS __kw_0 FROM (SELECT x) q',
      passed: ['max "mem"'],
    });
  });

  it('wraps UPDATE … RETURNING as a top-level CTE', () => {
    const shape = leanShape(' update t set a = 1 returning *', cols(9));
    expect(shape).toMatchObject({
      lean: true,
      text: 'WITH q AS ( update t set a = 1 returning *) SELECT row_to_json(q) AS __kw_json FROM q',
    });
  });

  it('keeps WITH statements, duplicate names and mostly-unsafe results plain', () => {
    expect(leanShape('WITH a AS (SELECT 1) SELECT * FROM a', cols(9))).toEqual({ lean: false });
    expect(leanShape('SELECT x', [...cols(8), { name: 'c0', dataTypeID: TEXT }])).toEqual({
      lean: false,
    });
    expect(
      leanShape('SELECT x', [
        ...cols(4),
        ...cols(6, INT8).map((f) => ({ ...f, name: `i${f.name}` })),
      ]),
    ).toEqual({
      lean: false,
    });
  });
});

describe('leanRows', () => {
  it('restores dates and passed columns on each row', () => {
    const rows = leanRows<Record<string, unknown>>(
      [
        {
          __kw_json: { a: 'x', at: '2026-11-22T18:37:00.123456+00:00', big: 9007199254740992 },
          __kw_0: '9007199254740993',
        },
        { __kw_json: { a: 'y', at: null, big: null }, __kw_0: null },
      ],
      { dates: ['at'], passed: ['big'] },
    );
    expect(rows).toEqual([
      { a: 'x', at: new Date('2026-11-22T18:37:00.123Z'), big: '9007199254740993' },
      { a: 'y', at: null, big: null },
    ]);
  });
});

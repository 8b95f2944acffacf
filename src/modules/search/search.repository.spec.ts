import { searchPredicate } from './search.repository';

describe('searchPredicate', () => {
  it('joins terms with the operator and binds every value', () => {
    const p = searchPredicate('users', 'OR', [
      { kind: 'contains', column: 'email', term: '50%_off\\' },
      { kind: 'equals', column: 'status', value: "'; drop table users; --" },
    ]);
    expect(p.sql('u')).toBe('(u.email ILIKE :srch0 OR u.status = :srch1)');
    expect(p.params).toEqual({ srch0: '%50\\%\\_off\\\\%', srch1: "'; drop table users; --" });
  });

  it('renders metadata as ANDed entries of ORed candidates', () => {
    const p = searchPredicate('licenses', 'AND', [
      { kind: 'metadata', entries: [[{ n: '1' }, { n: 1 }], [{ t: 'x' }]] },
    ]);
    expect(p.sql('l')).toBe(
      '(((l.metadata @> CAST(:srch0 AS jsonb) OR l.metadata @> CAST(:srch1 AS jsonb)) AND (l.metadata @> CAST(:srch2 AS jsonb))))',
    );
    expect(p.params).toEqual({ srch0: '{"n":"1"}', srch1: '{"n":1}', srch2: '{"t":"x"}' });
  });

  it('matches a related record by name or id prefix', () => {
    const p = searchPredicate('policies', 'AND', [
      {
        kind: 'related',
        relation: 'product',
        match: { kind: 'text', term: 'abc', idPrefix: true },
      },
    ]);
    expect(p.sql('p')).toBe(
      '(EXISTS (SELECT 1 FROM products r WHERE r.id = p.product_id AND (r.name ILIKE :srch0 OR r.id::text ILIKE :srch1)))',
    );
    expect(p.params).toEqual({ srch0: '%abc%', srch1: 'abc%' });
  });

  it('finds nothing for an unmatchable term', () => {
    expect(searchPredicate('users', 'AND', [{ kind: 'none' }]).sql('u')).toBe('(FALSE)');
  });
});

import {
  applyResponseMigrations,
  registerResponseMigration,
  type MigrationInput,
} from './response-migrations';

function input(over: Partial<MigrationInput> = {}): MigrationInput {
  return {
    method: 'GET',
    route: '/v1/accounts/:account',
    status: 200,
    body: undefined,
    headers: {
      'Keygen-Account': 'a',
      'Keygen-Bearer': 'b',
      'Keygen-Token': 't',
      'Keygen-Version': '1.8',
    },
    ...over,
  };
}

describe('response migrations', () => {
  describe('1.3 id-suffixed headers', () => {
    it.each(['1.0', '1.2', '1.3'])('renames the whoami headers for %s', (v) => {
      const i = input();
      applyResponseMigrations(v, i);
      expect(i.headers).toEqual({
        'Keygen-Account-Id': 'a',
        'Keygen-Bearer-Id': 'b',
        'Keygen-Token-Id': 't',
        'Keygen-Version': '1.8',
      });
    });

    it.each(['1.4', '1.7', '1.8'])('keeps them for %s', (v) => {
      const i = input();
      applyResponseMigrations(v, i);
      expect(i.headers['Keygen-Account']).toBe('a');
      expect(i.headers['Keygen-Account-Id']).toBeUndefined();
    });

    it('only renames headers that are present', () => {
      const i = input({ headers: { 'Keygen-Account': 'a' } });
      applyResponseMigrations('1.2', i);
      expect(i.headers).toEqual({ 'Keygen-Account-Id': 'a' });
    });
  });

  describe('1.7 credentials-invalid', () => {
    const errors = () => ({
      errors: [
        {
          title: 'Unauthorized',
          detail: 'password must be valid',
          code: 'PASSWORD_INVALID',
          source: { header: 'Authorization' },
        },
      ],
    });

    it('collapses password-auth codes on POST …/tokens for ≤1.7', () => {
      const i = input({
        method: 'POST',
        route: '/v1/accounts/:account/tokens',
        status: 401,
        body: errors(),
      });
      applyResponseMigrations('1.7', i);
      expect(i.body).toEqual({
        errors: [
          {
            title: 'Unauthorized',
            detail: 'email and password must be valid',
            code: 'CREDENTIALS_INVALID',
            source: { header: 'Authorization' },
          },
        ],
      });
    });

    it('leaves 1.8, other routes and other codes alone', () => {
      const current = input({
        method: 'POST',
        route: '/v1/accounts/:account/tokens',
        status: 401,
        body: errors(),
      });
      applyResponseMigrations('1.8', current);
      expect(current.body).toEqual(errors());

      const other = input({
        method: 'POST',
        route: '/v1/accounts/:account/users',
        status: 401,
        body: errors(),
      });
      applyResponseMigrations('1.0', other);
      expect(other.body).toEqual(errors());

      const missing = input({
        method: 'POST',
        route: '/v1/accounts/:account/tokens',
        status: 401,
        body: { errors: [{ title: 'Unauthorized', code: 'TOKEN_MISSING' }] },
      });
      applyResponseMigrations('1.0', missing);
      expect((missing.body as { errors: Array<{ code: string }> }).errors[0].code).toBe(
        'TOKEN_MISSING',
      );
    });
  });

  describe('1.4 nested metadata casing', () => {
    const doc = () => ({
      data: {
        id: '1',
        type: 'users',
        attributes: { metadata: { topLevel: { nestedKey: [{ deepKey: 1 }] }, plain: 'keepValue' } },
      },
      included: [{ id: '2', type: 'licenses', attributes: { metadata: { aB: { cD: true } } } }],
    });

    it('snake-cases nested keys below the top level (data and included) for ≤1.4', () => {
      const i = input({ body: doc() });
      applyResponseMigrations('1.4', i);
      expect(i.body).toEqual({
        data: {
          id: '1',
          type: 'users',
          attributes: {
            metadata: { topLevel: { nested_key: [{ deep_key: 1 }] }, plain: 'keepValue' },
          },
        },
        included: [{ id: '2', type: 'licenses', attributes: { metadata: { aB: { c_d: true } } } }],
      });
    });

    it('handles list documents', () => {
      const i = input({ body: { data: [doc().data, doc().data] } });
      applyResponseMigrations('1.0', i);
      const data = (
        i.body as {
          data: Array<{ attributes: { metadata: Record<string, Record<string, unknown>> } }>;
        }
      ).data;
      expect(Object.keys(data[1].attributes.metadata.topLevel)).toEqual(['nested_key']);
    });

    it('does not touch errors or 1.5+', () => {
      const err = input({ status: 400, body: doc() });
      applyResponseMigrations('1.0', err);
      expect(err.body).toEqual(doc());
      const cur = input({ body: doc() });
      applyResponseMigrations('1.5', cur);
      expect(cur.body).toEqual(doc());
    });
  });

  describe('registration order', () => {
    it('applies migrations newest first, each only at or below its version', () => {
      const seen: string[] = [];
      registerResponseMigration({
        version: '1.1',
        name: 'test-1.1',
        transform: ({ route }) => void (route === '/test' && seen.push('1.1')),
      });
      registerResponseMigration({
        version: '1.6',
        name: 'test-1.6',
        transform: ({ route }) => void (route === '/test' && seen.push('1.6')),
      });
      applyResponseMigrations('1.0', input({ route: '/test' }));
      expect(seen).toEqual(['1.6', '1.1']);
      seen.length = 0;
      applyResponseMigrations('1.2', input({ route: '/test' }));
      expect(seen).toEqual(['1.6']);
      seen.length = 0;
      applyResponseMigrations('1.7', input({ route: '/test' }));
      expect(seen).toEqual([]);
    });
  });
});

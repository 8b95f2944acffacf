import { adminErrors, environmentErrors, type NewAdmin } from './environment.errors';

const admin = (over: Partial<NewAdmin> = {}): NewAdmin => ({
  email: 'ok@example.com',
  password: null,
  firstName: null,
  lastName: null,
  metadata: {},
  ...over,
});
const codes = (items: Array<{ code?: string }>) => items.map((e) => e.code);

describe('environmentErrors', () => {
  it('is empty for valid values', () => {
    expect(
      environmentErrors(
        { name: 'Prod', code: 'prod', isolationStrategy: 'SHARED' },
        { codeTaken: false },
      ),
    ).toEqual([]);
  });

  it('orders code, name then isolation strategy errors', () => {
    const errors = environmentErrors(
      { name: 'n'.repeat(256), code: 'action', isolationStrategy: 'shared' },
      { codeTaken: true },
    );
    expect(codes(errors)).toEqual([
      'CODE_NOT_ALLOWED',
      'CODE_TAKEN',
      'NAME_TOO_LONG',
      'ISOLATION_STRATEGY_NOT_ALLOWED',
    ]);
  });

  it('counts characters, not bytes', () => {
    expect(environmentErrors({ name: 'é'.repeat(255) }, { codeTaken: false })).toEqual([]);
  });

  it('only validates what is being written', () => {
    expect(environmentErrors({}, { codeTaken: false })).toEqual([]);
  });
});

describe('adminErrors', () => {
  it('groups errors by attribute across admins and collapses duplicates', () => {
    const errors = adminErrors(
      [
        admin({ email: 'bad', password: 'short' }),
        admin({ email: 'worse', password: 'tiny' }),
        admin({ email: 'taken@example.com' }),
      ],
      new Set(['taken@example.com']),
    );
    expect(codes(errors)).toEqual([
      'USERS_EMAIL_INVALID',
      'USERS_EMAIL_TAKEN',
      'USERS_PASSWORD_TOO_SHORT',
    ]);
    expect(errors[0].source).toEqual({
      pointer: '/data/relationships/users/data/attributes/email',
    });
  });

  it('checks names, password length and metadata limits', () => {
    const metadata = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i]));
    const errors = adminErrors(
      [
        admin({
          password: 'p'.repeat(73),
          firstName: 'f'.repeat(256),
          lastName: 'l'.repeat(256),
          metadata,
        }),
      ],
      new Set(),
    );
    expect(codes(errors)).toEqual([
      'USERS_PASSWORD_TOO_LONG',
      'USERS_FIRST_NAME_TOO_LONG',
      'USERS_LAST_NAME_TOO_LONG',
      'USERS_METADATA_TOO_LONG',
    ]);
    expect(errors[3].detail).toBe('too many keys (exceeded limit of 64 keys)');
  });
});

/** Two projects: fast unit tests (no database) and e2e tests against a real PostgreSQL. */
const moduleNameMapper = {
  '^@app/(.*)$': '<rootDir>/src/$1',
  '^@libs/jsonapi$': '<rootDir>/libs/jsonapi/src',
  '^@libs/jsonapi/(.*)$': '<rootDir>/libs/jsonapi/src/$1',
  '^@libs/crypto$': '<rootDir>/libs/crypto/src',
  '^@libs/crypto/(.*)$': '<rootDir>/libs/crypto/src/$1',
  '^@libs/licensing$': '<rootDir>/libs/licensing/src',
  '^@libs/licensing/(.*)$': '<rootDir>/libs/licensing/src/$1',
};
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
module.exports = {
  testTimeout: 30000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/src', '<rootDir>/libs'],
      testMatch: ['**/*.spec.ts'],
      moduleNameMapper,
      transform,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts', '**/*.int-spec.ts'],
      moduleNameMapper,
      transform,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};

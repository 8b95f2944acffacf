// @ts-check
/**
 * Type-aware lint for src, libs, test and bench (STYLE §15). Formatting is
 * Prettier's job (.prettierrc); these rules catch bugs and enforce boundaries.
 */
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const FORWARD_REF =
  'forwardRef hides a module cycle: move the shared work into an orchestration module above both (STYLE §2).';
const PROCESS_ENV =
  'Read configuration through src/config (loadConfig / APP_CONFIG), never process.env (STYLE §15).';
const CROSS_MODULE =
  'Relative imports only reach siblings in the same module; import other modules via @app/... (STYLE §13).';

/** The forwardRef ban; repeated in each block that sets no-restricted-imports (a later block replaces the options). */
const forwardRefPath = {
  name: '@nestjs/common',
  importNames: ['forwardRef'],
  message: FORWARD_REF,
};

/**
 * `src/modules/<module>/<depth...>/file.ts`: a relative import that climbs out of
 * <module> crosses a module boundary. One glob per nesting depth.
 */
const crossModuleImports = [1, 2, 3, 4].map((depth) => ({
  files: [`src/modules/*/${'*/'.repeat(depth - 1)}*.ts`],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        paths: [forwardRefPath],
        patterns: [{ regex: `^(\\.\\./){${depth},}`, message: CROSS_MODULE }],
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.data/**',
      'bench/results/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [eslint.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Promises: every promise is awaited, returned or explicitly `void`ed.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      'require-await': 'off',
      '@typescript-eslint/require-await': 'error',
      // A `default:` is an explicit decision about the remaining members of a union.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      // Files with decorators are skipped by the rule (emitDecoratorMetadata needs value imports).
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      eqeqeq: ['error', 'always'],
      curly: ['error', 'all'],
      'no-console': 'error',
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [forwardRefPath] }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='forwardRef']", message: FORWARD_REF },
        { selector: "CallExpression[callee.property.name='forwardRef']", message: FORWARD_REF },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: PROCESS_ENV },
      ],
    },
  },
  ...crossModuleImports,
  {
    // Configuration is the one place that reads the environment.
    files: ['src/config/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // libs/ is pure TypeScript: it never reaches into the application.
    files: ['libs/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [forwardRefPath],
          patterns: [
            { group: ['@app', '@app/*'], message: 'libs/ must not import from src/ (STYLE §1).' },
            { regex: '(^|/)src(/|$)', message: 'libs/ must not import from src/ (STYLE §1).' },
          ],
        },
      ],
    },
  },
  {
    // Tests and the benchmark drive the process: they may read the environment and use any.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-properties': 'off',
    },
  },
  {
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      // Test doubles implement Promise-returning contracts (job handlers, ports); an
      // `async` stub keeps a throw a rejection, as the real implementation's would be.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The benchmark's output is its printed table.
    files: ['bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);

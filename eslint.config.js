// ESLint (`npm run lint`; `npm test` runs it after the typecheck): type-aware rules
// for the bugs async code hides from the compiler: a promise nobody awaits (its
// rejection becomes an unhandledRejection, or the work outlives its cleanup), a
// promise where a boolean or a void callback is expected, `await` on what is not a
// promise, a `return` of a promise in a try that skips its own catch. Style is not
// linted here. A rule switched off on one line says why, on that line.
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['node_modules/', 'reports/', 'fixtures/', 'types/'] }, // types/: declarations built by npm run build:types
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'],
      // Passing on a caught error or an AbortSignal's reason (unknown/any) is fine;
      // throwing or rejecting with a string or a plain object is not.
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      'no-async-promise-executor': 'error',
      'no-control-regex': 'error',
    },
  },
];

// ESLint (flat config): typescript-eslint's recommended rules, plus what catches real defects in
// this code base — a promise nobody awaits (a lost error, a transaction left open) — with type
// information from tsconfig.json. Run by `npm run lint` and .ci/run.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.ci/', '.data/', 'test/openapi-client/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // TypeScript checks names itself (typescript-eslint's advice for TS files).
      'no-undef': 'off',
      // Layout is Prettier's: it breaks `x.f()\n[k](…)` chains that this rule would flag (as eslint-config-prettier turns it off).
      'no-unexpected-multiline': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      // `_name` says "deliberately unused" (a destructured field left out, a signature's parameter).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests and scripts read arbitrary JSON answers and rethrow for clearer failures.
    files: ['test/**', 'scripts/**', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
      'preserve-caught-error': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        globalThis: 'readonly',
      },
    },
  },
);

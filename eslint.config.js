// One flat ESLint config for every TypeScript workspace (run from each workspace by turbo).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/build/**',
      '**/node_modules/**',
      '**/out/**',
      '**/generated/**',
      '**/.turbo/**',
      '**/*.cjs',
      // AssemblyScript mappings and graph-cli output are not TypeScript ESLint can check.
      'subgraph/src/**',
      'subgraph/abis/**',
      'indexer/test/fixtures/**/*.ts', // AssemblyScript mappings, compiled by asc
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
);

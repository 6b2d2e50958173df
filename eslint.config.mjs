// Flat config: typescript-eslint's recommended rules over the TypeScript and JavaScript sources.
// Formatting is Prettier's job (.prettierrc.json), so no stylistic rules here.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['dist/**', 'release/**', 'node_modules/**', 'test/artifacts/**', 'scratch/**', 'resources/models/**', '.gpu/**'],
  },
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      // `_name` marks a parameter or binding that is unused on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests build fakes and poke at internals; `any` there is a tool, not a smell.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);

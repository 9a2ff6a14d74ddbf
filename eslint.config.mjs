// Flat config: typescript-eslint's recommended rules, plus the one architectural rule
// that matters most here: nothing under src/core may import `vscode`.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test/harness/**', 'test/e2e/**', 'scripts/**/*.mjs', '.vscode-test/**', 'bench/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core is pure: the CLI shares it.' }] }],
    },
  },
);

import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'reports/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'Name exports explicitly (STYLE.md 14).' }],
    },
  },
  {
    // STYLE.md principle 2: service code takes time from the Clock, so time scaling reaches it.
    files: ['emulator/services/**/*.ts'],
    ignores: ['emulator/services/lambda-runtime/worker/**'],
    rules: {
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'Use the Clock (STYLE.md 2).' },
        { object: 'performance', property: 'now', message: 'Use the Clock (STYLE.md 2).' }],
      'no-restricted-globals': ['error',
        { name: 'setTimeout', message: 'Use clock.setTimer (STYLE.md 2).' },
        { name: 'setInterval', message: 'Use the Clock (STYLE.md 2).' }],
      'no-restricted-syntax': ['error',
        { selector: 'ExportAllDeclaration', message: 'Name exports explicitly (STYLE.md 14).' },
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Behaviour comes from validated config, not process.env (STYLE.md 3).' }],
    },
  },
);

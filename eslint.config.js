// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { builtinModules } from 'node:module';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'bench/results/**',
      'test/output/**',
      'data/**',
      'public/**',
      'public-dev/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'bin/*.js', 'scripts/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // src/protocol is pure and runs in the browser too (src/protocol/README.md): no Node
    // modules, and nothing from the layers that use it.
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules.map((name) => ({
            name,
            message: 'src/protocol is pure: no Node modules (inject what you need).',
          })),
          patterns: [
            { group: ['node:*'], message: 'src/protocol is pure: no Node modules (inject what you need).' },
            {
              regex: '(^|/)(backend|addin)(/|$)',
              message: 'src/protocol must not depend on src/backend or src/addin.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/addin/**/*.{ts,tsx}', 'test/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Components reach Office only through the OfficeHost port.
    files: ['src/addin/**/*.{ts,tsx}'],
    ignores: ['src/addin/office/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'Office', message: 'Use the OfficeHost port (src/addin/office).' },
      ],
    },
  },
  {
    // Every user-facing string is in the message catalogues (src/addin/i18n/messages): no words
    // in JSX text or in the props that screen readers or users read. The dev-only switcher is exempt.
    files: ['src/addin/**/*.tsx'],
    ignores: ['src/addin/dev/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'JSXText[value=/\\p{L}/u]',
          message: 'Put user-facing text in the message catalogues and use t(…).',
        },
        {
          selector:
            'JSXAttribute[name.name=/^(label|aria-label|title|hint|placeholder|alt|validationMessage|header|description)$/] > Literal[value=/\\p{L}/u]',
          message: 'Put user-facing text in the message catalogues and use t(…).',
        },
        {
          selector: 'JSXExpressionContainer > Literal[value=/\\p{L}/u]',
          message: 'Put user-facing text in the message catalogues and use t(…).',
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node },
  },
  prettier,
);

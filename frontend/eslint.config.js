import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Also the modules' frontends beside their backends (modules/<key>/frontend/,
// tests/sample_modules/<key>/frontend/): the config's base is the repository, `npm run lint` names them.
export default tseslint.config(
  { ignores: ['frontend/dist', '**/node_modules', 'frontend/src/gql', '.venv', '.var'] },
  {
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    files: ['frontend/**/*.{ts,tsx}', 'modules/*/frontend/**/*.{ts,tsx}', 'tests/sample_modules/*/frontend/**/*.{ts,tsx}'],
    languageOptions: { ecmaVersion: 2022, globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['frontend/scripts/**/*.mjs', 'frontend/codegen.ts', 'frontend/vite.config.ts'],
    languageOptions: { globals: globals.node },
  },
);

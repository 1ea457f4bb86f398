import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Covers src/, web/, test/, bench/, scripts/ and assembly/. AssemblyScript is TypeScript syntax and the TS parser
// reads it like the rest; its builtins (load, store, unchecked, i32, f64, v128, …) are names ESLint cannot see, but
// typescript-eslint already turns no-undef off for .ts files (the compilers report undefined names), so every rule
// applies to assembly/ as it is.
export default tseslint.config(
  { ignores: ['dist/', 'build/', 'node_modules/', 'web/dist/', 'results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);

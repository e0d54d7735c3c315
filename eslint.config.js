// Lint config. The layering zones are the point: src-shared/** and src-main/engine/** are pure, deterministic
// TypeScript that both sides (and the worker) import, so they may not reach for Node, Electron, the DOM, React,
// D3, the store, wall-clock time, timers or Math.random.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const pureImportBans = {
  patterns: [
    { group: ['node:*'], message: 'Pure layer: no Node built-ins here (src-shared, src-main/engine).' },
    { group: ['electron', 'electron/*'], message: 'Pure layer: no Electron here.' },
    { group: ['better-sqlite3'], message: 'Pure layer: no database here; the store lives in src-main/store.' },
    { group: ['react', 'react-dom', 'react/*', 'react-dom/*', '@xyflow/*', 'zustand', 'zustand/*'], message: 'Pure layer: no UI libraries here.' },
    { group: ['d3', 'd3-*'], message: 'Pure layer: no D3 here (charts live in src-renderer/results/charts).' },
    { group: ['**/store/**', '**/store', '**/src-main/store/**'], message: 'Pure layer: the engine never touches the store.' },
    { group: ['fs', 'path', 'os', 'worker_threads', 'child_process', 'crypto', 'http', 'url'], message: 'Pure layer: no Node built-ins here.' },
  ],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'resources/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}', 'test/unit/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    // The layering zone (VS Code style): pure, deterministic code.
    files: ['src-shared/**/*.ts', 'src-main/engine/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', pureImportBans],
      'no-restricted-globals': [
        'error',
        { name: 'Date', message: 'Pure layer: no wall-clock time; simulated time only.' },
        { name: 'setTimeout', message: 'Pure layer: no timers.' },
        { name: 'setInterval', message: 'Pure layer: no timers.' },
        { name: 'setImmediate', message: 'Pure layer: no timers.' },
        { name: 'queueMicrotask', message: 'Pure layer: no timers.' },
        { name: 'performance', message: 'Pure layer: no wall-clock time.' },
        { name: 'process', message: 'Pure layer: no Node process.' },
        { name: 'require', message: 'Pure layer: no require.' },
        { name: 'window', message: 'Pure layer: no DOM.' },
        { name: 'document', message: 'Pure layer: no DOM.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Pure layer: use the seeded PRNG streams (src-main/engine/core/rng).' },
        { object: 'Date', property: 'now', message: 'Pure layer: no wall-clock time.' },
        { object: 'globalThis', property: 'Date', message: 'Pure layer: no wall-clock time.' },
      ],
    },
  },
);

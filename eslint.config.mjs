// Lint with zero warnings. The layer rule of docs/architecture.md is enforced here: a breach is an error.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

const M = 'src-main';
// zones: `target` may not import from `from` (paths relative to the repo root).
const layer = (target, allowed) => {
  const all = ['common', 'pki', 'planning', 'store', 'keychain', 'media', 'services', 'ipc', 'app', 'preload', 'web', 'cli'];
  return {
    target: `./${M}/${target}`,
    from: all.filter((l) => l !== target && !allowed.includes(l)).map((l) => `./${M}/${l}`),
    message: `layer rule: ${target} may import only ${allowed.join(', ') || 'itself'} (docs/architecture.md)`,
  };
};
// Keep this table and the one in docs/architecture.md identical; tests/unit/build/layer-lint.test.ts
// reads the doc table and lints a probe import in every direction against it.
const layerTable = {
  common: [],
  pki: ['common'],
  planning: ['common', 'pki'],
  store: ['common', 'pki'],
  keychain: ['common', 'pki'],
  media: ['common', 'pki'],
  services: ['common', 'pki', 'planning', 'store', 'keychain', 'media'],
  ipc: ['common', 'pki', 'planning', 'store', 'keychain', 'media', 'services'],
  web: ['common', 'pki', 'planning', 'store', 'keychain', 'media', 'services', 'ipc'],
  app: ['common', 'pki', 'planning', 'store', 'keychain', 'media', 'services', 'ipc', 'web'],
  preload: ['common'],
  // `certdesk ui` starts the browser-mode server, so the CLI may reach web (never app or electron).
  cli: ['common', 'pki', 'planning', 'store', 'keychain', 'media', 'services', 'web'],
};
const zones = [
  ...Object.entries(layerTable).map(([target, allowed]) => layer(target, allowed)),
  { target: './src-renderer', from: `./${M}`, except: ['./common'], message: 'the renderer may import only src-main/common' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench-results/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.mjs', '*.mts', 'scripts/*.mjs', 'bin/*.js', 'tests/helpers/*.cjs'] },
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
      globals: { ...globals.node },
    },
    plugins: { 'import-x': importX },
    // Without a TypeScript resolver `./x.js` resolves to nothing (the file is x.ts), and
    // no-restricted-paths silently skips every unresolved import: the zones never fired.
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.json', 'tsconfig.renderer.json', 'tsconfig.test.json'], noWarnOnMultipleProjects: true })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, svelteConfig: undefined },
      globals: { ...globals.browser },
    },
  },
  // Engines sit behind ports: node-forge only in pki, keytar only in keychain, electron only in
  // app/ipc/preload; common is shared with the renderer, so it has no Node at all.
  ...['common', 'pki', 'planning', 'store', 'keychain', 'media', 'services', 'ipc', 'app', 'preload', 'web', 'cli'].map((folder) => {
    const banned = [];
    if (folder !== 'pki') banned.push(['node-forge', 'node-forge is used only in src-main/pki']);
    if (folder !== 'keychain') banned.push(['keytar', 'keytar only behind the SecretStore port in src-main/keychain']);
    if (!['app', 'ipc', 'preload'].includes(folder)) banned.push(['electron', 'electron only in src-main/app, ipc, preload: the rest runs under plain Node']);
    const patterns = folder === 'common' ? [{ group: ['node:*', 'fs', 'path', 'crypto', 'os'], message: 'common is pure TypeScript shared with the renderer' }] : [];
    const paths = banned.map(([name, message]) => ({ name, message }));
    const blocks = [{ files: [`${M}/${folder}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { paths, patterns }] } }];
    if (folder === 'cli') {
      // Start-up: `certdesk --help` and usage errors load every command module, so a command module
      // reaches services, PKI, planning and the web server only through `await import()` in run().
      const lazy = { group: ['**/services/*', '**/pki/*', '**/planning/*', '**/web/*', '**/ipc/*', '**/store/store.js'], allowTypeImports: true, message: 'command modules load services and PKI lazily (await import() inside run): start-up cost' };
      blocks.push({ files: [`${M}/cli/commands/**/*.ts`], rules: { 'no-restricted-imports': ['error', { paths, patterns: [lazy] }] } });
    }
    return blocks;
  }).flat(),
  {
    files: ['src-renderer/**/*.{ts,svelte}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'electron', 'keytar', 'node-forge'], message: 'the renderer never touches Node, electron or key material' }] }],
    },
  },
  {
    files: ['**/*.mjs', 'bin/*.js', 'tests/helpers/*.cjs', '*.config.mts'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The bin launcher (and the crash tests' launcher) are plain CommonJS: no build step of their own.
    files: ['bin/*.js', 'tests/helpers/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

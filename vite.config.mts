import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The renderer: built to static files that both shells (Electron and `certdesk ui`) serve.
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [svelte()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    // The CSP forbids inline scripts and eval: keep everything in external files.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});

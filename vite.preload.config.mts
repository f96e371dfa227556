import { defineConfig } from 'vite';

// The sandboxed preload must be ONE CommonJS file (a sandboxed preload cannot require siblings):
// bundle src-main/preload with its few imports from common into dist/preload/preload.cjs.
export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist/preload',
    emptyOutDir: true,
    sourcemap: false,
    minify: false,
    target: 'node20',
    lib: {
      entry: 'src-main/preload/preload.ts',
      formats: ['cjs'],
      fileName: () => 'preload.cjs',
    },
    rollupOptions: {
      external: ['electron'],
    },
  },
});

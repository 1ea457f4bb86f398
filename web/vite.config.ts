/**
 * Vite config of the browser app. `npm run web` serves it; `npm run build:web` writes static files to web/dist/
 * (relative base, so any static host or a sub-folder works). The engine runs in a module worker that imports the
 * library straight from ../src; kernel.wasm is bundled as an asset (imported with `?url`).
 */
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    // The .wasm is always a separate file (never inlined as base64).
    assetsInlineLimit: (file) => (file.endsWith('.wasm') ? false : undefined),
  },
  worker: { format: 'es' },
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
});

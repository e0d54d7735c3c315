import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Three bundles: the Electron main process, the preload (CommonJS so it runs with sandbox: true), the renderer.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The run worker is its own entry: the runner starts out/main/runWorker.js in a worker thread.
      rollupOptions: { input: { index: resolve(__dirname, 'src-main/electron/index.ts'), runWorker: resolve(__dirname, 'src-main/runner/runWorker.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});

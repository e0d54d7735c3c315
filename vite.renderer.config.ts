import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer on its own (browser mode): `vite --config vite.renderer.config.ts` serves it for development and
// `tock-studio serve` serves its build (out/renderer) with the API. The Electron build uses electron.vite.config.ts.
export default defineConfig({
  root: resolve(__dirname, 'src-renderer'),
  plugins: [react()],
  server: { host: '127.0.0.1', port: 5183, strictPort: false },
  build: { outDir: resolve(__dirname, 'out/renderer'), emptyOutDir: true },
});

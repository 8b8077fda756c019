import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: resolve(import.meta.dirname),
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, '../dist/renderer'),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    // `npm run dev:ui` proxies the API of a running `outpost serve`.
    proxy: { '/v1': 'http://127.0.0.1:7766', '/api': 'http://127.0.0.1:7766' },
  },
});

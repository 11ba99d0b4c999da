import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The tab front end: two pages (the tab and its channel configuration page) built to dist/tab,
 * which the server serves at /tab/*. public/ (about.html) is copied as is.
 */
export default defineConfig({
  root: here,
  base: '/tab/',
  plugins: [react()],
  build: {
    outDir: path.resolve(here, '..', '..', 'dist', 'tab'),
    emptyOutDir: true,
    // The tab ships in Teams' webview: no source maps in the deployment, and one chunk per page's vendor code.
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: { index: path.resolve(here, 'index.html'), config: path.resolve(here, 'config.html') },
    },
  },
});

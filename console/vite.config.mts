/**
 * Builds the console into console/dist, which the gateway serves at /console/. Everything the pages need
 * is bundled here: nothing is loaded from another origin at run time.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { precompress } from './precompress.mjs';

const outDir = resolve(import.meta.dirname, 'dist');

export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [precompress(outDir)],
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir,
    emptyOutDir: true,
    // Source maps stay out of what the gateway serves.
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: { console: resolve(import.meta.dirname, 'index.html'), explorer: resolve(import.meta.dirname, 'explorer.html') },
      // GraphiQL's components say "use client", which only means something to server-rendering frameworks.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});

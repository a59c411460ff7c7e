import { defineConfig } from 'vite';

// Preact's JSX compiled by Vite's own esbuild; no framework plugin needed.
// `npm run dev` proxies the API and Socket.IO to a `calmroom serve` on :5000.
export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2020',
  },
  // Client logic's unit tests (`npm test`, run by `make test`): plain Node, no DOM.
  test: {
    include: ['test/**/*.test.js'],
    environment: 'node',
    setupFiles: ['test/setup.js'],
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:5000',
      '/healthz': 'http://127.0.0.1:5000',
      '/socket.io': { target: 'http://127.0.0.1:5000', ws: true },
    },
  },
});

import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` serves the workbench on :5173 and forwards the API (HTTP and WebSocket) to the
// Django server that `make run` starts on 127.0.0.1:8000.
const backend = process.env.JIANLIAN_BACKEND ?? 'http://127.0.0.1:8000';
const api = { target: backend, changeOrigin: false, ws: true };

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/graphql': api, '/t/': api, '/admin': api, '/healthz': api, '/static': api },
  },
  build: {
    manifest: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
});

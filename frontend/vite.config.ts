import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` serves the workbench on :5173 and forwards the API (HTTP and WebSocket) to the
// Django server that `make run` starts on 127.0.0.1:8000.
const backend = process.env.JIANLIAN_BACKEND ?? 'http://127.0.0.1:8000';
const api = { target: backend, changeOrigin: false, ws: true };

// Modules keep their frontend beside their backend (modules/<key>/frontend/, and the test suite's
// tests/sample_modules/<key>/frontend/), outside this folder: they reach the workbench's code as
// `@workbench/…`, and their packages (react, antd …) resolve from here, as there is no
// node_modules above them.
const src = fileURLToPath(new URL('./src', import.meta.url));
const shared = ['react', 'react-dom', 'antd', '@ant-design/icons', 'react-i18next', 'i18next', 'urql', 'react-router', 'graphql', 'echarts', 'dayjs', 'tus-js-client'];

export default defineConfig({
  plugins: [react()],
  resolve: { alias: { '@workbench': src }, dedupe: shared },
  server: {
    fs: { allow: ['.', '../modules', '../tests/sample_modules'] },
    proxy: { '/graphql': api, '/t/': api, '/admin': api, '/healthz': api, '/static': api },
  },
  build: {
    manifest: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
});

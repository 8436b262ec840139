import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
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

// `graphql(`query X …`)` reads its document from src/gql/gql.ts, a map of every document of the
// workbench, and the documents live in one module (src/gql/graphql.ts): a bundle splits by module,
// so all 200-odd documents went into the first load. At build time each call becomes the
// generated document itself, written where it is used, so each page carries only its own.
// (The codegen's Babel optimizer only turns the call into an import from that same one module.)
function graphqlDocuments(): Plugin {
  const generated = fileURLToPath(new URL('./src/gql/graphql.ts', import.meta.url));
  const call = /\bgraphql\(\s*`([^`]*)`\s*\)/g;
  let documents: Map<string, string> | null = null;
  return {
    name: 'jianlian-graphql-documents',
    enforce: 'pre',
    apply: 'build',
    buildStart() {
      documents = null; // read afresh: codegen may have run since
    },
    transform(code, id) {
      if (!/\.tsx?$/.test(id) || id.includes('/node_modules/') || id.includes('/src/gql/') || !code.includes('graphql(`')) return null;
      documents ??= new Map(
        [...readFileSync(generated, 'utf8').matchAll(/^export const (\w+) = (\{.*\}) as unknown as DocumentNode</gm)].map((m) => [m[1], m[2]]),
      );
      return code.replace(call, (_whole, text: string) => {
        const head = /^\s*(query|mutation|subscription|fragment)\s+(\w+)/.exec(text);
        const name = head && (head[1] === 'fragment' ? `${head[2]}FragmentDoc` : `${head[2]}Document`);
        const document = name && documents!.get(name);
        if (!document) throw new Error(`${id}: no generated document for ${name ?? 'an anonymous operation'}; run npm run codegen`);
        return `(${document})`; // parenthesised: a statement of its own would read as a block
      });
    },
  };
}

export default defineConfig({
  plugins: [graphqlDocuments(), react()],
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

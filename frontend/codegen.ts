// Types and typed documents from the API contract (../graphql/schema.graphql).
// Operations live next to the components that use them (`graphql(`...`)` in src/**/*.tsx, and in
// the modules' own frontends, modules/<key>/frontend/ and tests/sample_modules/<key>/frontend/).
import { createHash } from 'node:crypto';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';

const config: CodegenConfig = {
  schema: '../graphql/schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '../modules/*/frontend/**/*.{ts,tsx}', '../tests/sample_modules/*/frontend/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        // The server's allow-list (graphql/persisted-documents.json) names documents
        // "sha256:<hex of the document text>"; the id we send is that same key.
        persistedDocuments: {
          mode: 'embedHashInDocument',
          hashAlgorithm: (doc: string) => `sha256:${createHash('sha256').update(doc).digest('hex')}`,
        },
      },
      // urql's document cache adds __typename to what it sends; the persisted text must have it too.
      documentTransforms: [addTypenameSelectionDocumentTransform],
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', BigInt: 'number', JSONString: 'string' },
      },
    },
  },
};

export default config;

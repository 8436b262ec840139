// Copies codegen's persisted-documents manifest to graphql/persisted-documents.json, which the
// server reads as its allow-list (GRAPHQL_PERSISTED_DOCUMENTS). Keys sorted for stable diffs.
import { readFileSync, writeFileSync } from 'node:fs';

const source = new URL('../src/gql/persisted-documents.json', import.meta.url);
const target = new URL('../../graphql/persisted-documents.json', import.meta.url);
const manifest = JSON.parse(readFileSync(source, 'utf8'));
const sorted = Object.fromEntries(Object.keys(manifest).sort().map((k) => [k, manifest[k]]));
const text = `${JSON.stringify(sorted, null, 2)}\n`;
// Written every time (same bytes when nothing changed), so make's timestamps see it as current.
writeFileSync(target, text);
console.log(`persisted documents: ${Object.keys(sorted).length} → graphql/persisted-documents.json`);

#!/usr/bin/env node
// Regenerates src/sandbox/line-schema.json and src/sandbox/line-webhook-schema.json from LINE's OpenAPI files
// (GitHub line/line-openapi: messaging-api.yml, webhook.yml), so that nothing reads them at run time.
// Usage: node scripts/convert-line-openapi.mjs <folder holding messaging-api.yml and webhook.yml>
import { readFile, writeFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const source = process.argv[2];
if (!source) {
  console.error('usage: node scripts/convert-line-openapi.mjs <folder with messaging-api.yml and webhook.yml>');
  process.exit(2);
}
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'sandbox');
const files = [
  ['messaging-api.yml', 'line-schema.json'],
  ['webhook.yml', 'line-webhook-schema.json'],
];
for (const [from, to] of files) {
  const doc = parse(await readFile(join(source, from), 'utf8'));
  if (!doc?.components?.schemas) throw new Error(`${from}: no components.schemas, is this an OpenAPI file?`);
  await writeFile(join(outDir, to), JSON.stringify(doc, null, 1) + '\n');
  console.log(`${from} -> src/sandbox/${to} (${Object.keys(doc.components.schemas).length} schemas)`);
}

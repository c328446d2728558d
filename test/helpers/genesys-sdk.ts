/**
 * Genesys's own models of Open Messaging, read from ../shared/genesys-sdk (models.d.ts from the JavaScript SDK,
 * enums.md with the allowed values from the Python SDK), for tests that hold our code against them.
 */
import { readFileSync } from 'node:fs';

const SDK = new URL('../../../shared/genesys-sdk/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, SDK), 'utf8');

/** "Model.property" -> allowed values, from enums.md ("## Model", then "- `property` (type): … Allowed: A, B."). */
export function readSdkEnums(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let model = '';
  for (const line of read('enums.md').split('\n')) {
    model = /^## (\w+)/.exec(line)?.[1] ?? model;
    const property = /^- `(\w+)` \([^)]*\):.*Allowed: (.+)\.$/.exec(line);
    if (property) out.set(`${model}.${property[1]}`, property[2]!.split(', '));
  }
  return out;
}

export interface SdkProperty { name: string; optional: boolean; model?: string; list: boolean; map: boolean }

/** Interface name -> its properties, from models.d.ts (or another file in its form). */
export function readSdkModels(file: URL = new URL('models.d.ts', SDK)): Map<string, SdkProperty[]> {
  const models = new Map<string, SdkProperty[]>();
  for (const [, name, body] of readFileSync(file, 'utf8').matchAll(/export interface (\w+) \{([^}]*)\}/g)) {
    const properties = [...body!.matchAll(/"(\w+)"(\?)?: ([^;]+);/g)].map(([, p, q, type]) => ({
      name: p!,
      optional: q === '?',
      model: /Models\.(\w+)/.exec(type!)?.[1],
      list: type!.startsWith('Array<'),
      map: type!.startsWith('{ [key: string]'),
    }));
    models.set(name!, properties);
  }
  return models;
}

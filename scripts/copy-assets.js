/**
 * Build step (after tsc): copies the files that are not TypeScript, the inspector page's .html,
 * .css and .js, from src/ into dist/ at the same place, so dist/ (what the package ships) serves them.
 */
import { cpSync, rmSync } from 'node:fs';

const FOLDERS = ['sandbox/inspector/public'];

for (const folder of FOLDERS) {
  const to = new URL(`../dist/${folder}/`, import.meta.url);
  rmSync(to, { recursive: true, force: true });
  cpSync(new URL(`../src/${folder}/`, import.meta.url), to, { recursive: true });
}

/**
 * Build step (after tsc): renders `line-genesys --help` with the built CLI into dist/cli/help.txt.
 * bin/line-genesys.cjs prints that file for `--help` and `-h` alone, so the commonest call loads no
 * module (compiling commander was most of its cost: BENCHMARKS.md). The help has
 * a fixed width, so the copy is what commander would print on any terminal;
 * test/e2e/cli-basics.test.ts checks the two are the same.
 */
import { writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { main } from '../dist/cli/main.js';

let text = '';
const stdout = new PassThrough();
stdout.on('data', (chunk) => (text += chunk));
const stderr = new PassThrough();
let errors = '';
stderr.on('data', (chunk) => (errors += chunk));
const code = await main(['node', 'line-genesys', '--help'], { stdout, stderr, stdin: new PassThrough(), env: {}, cwd: process.cwd() });
if (code !== 0 || !text.includes('Usage: line-genesys')) {
  process.stderr.write(`render-help: \`line-genesys --help\` exited ${code}: ${errors || text}\n`);
  process.exit(1);
}
writeFileSync(new URL('../dist/cli/help.txt', import.meta.url), text);

#!/usr/bin/env node
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const args = process.argv.slice(2);
let help;
if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
  try { help = readFileSync(join(__dirname, '../dist/cli/help.txt'), 'utf8'); } catch {}
}
if (help !== undefined) {
  process.stdout.on('error', () => undefined);
  process.stdout.write(help);
} else {
  import('../dist/cli/main.js').then(({ main }) => main(process.argv)).then((code) => { process.exitCode = code; });
}

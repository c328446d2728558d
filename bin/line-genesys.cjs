#!/usr/bin/env node
// CommonJS: Node starts a CommonJS entry point sooner than an ES module (BENCHMARKS.md).
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

// `line-genesys --help`, the commonest call, prints the help the build rendered with the CLI
// itself (scripts/render-help.js): no module to load or compile. Anything else runs the CLI.
const args = process.argv.slice(2);
const help = args.length === 1 && (args[0] === '--help' || args[0] === '-h') ? renderedHelp() : undefined;
if (help !== undefined) {
  // `line-genesys --help | head -1`: a closed pipe is not an error.
  process.stdout.on('error', () => undefined);
  process.stdout.write(help);
} else {
  // Node 22.1+ caches compiled code between runs (a no-op before).
  require('node:module').enableCompileCache?.();
  import('../dist/cli/main.js')
    .then(({ main }) => main(process.argv))
    .then((code) => {
      process.exitCode = code;
    });
}

function renderedHelp() {
  try {
    return readFileSync(join(__dirname, '..', 'dist', 'cli', 'help.txt'), 'utf8');
  } catch {
    return undefined; // built without it: the CLI renders the help
  }
}

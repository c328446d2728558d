#!/usr/bin/env node
// Node 22.1+ caches compiled code between runs (a no-op before): compiling commander is most of
// what `--help` costs on Node 20 (BENCHMARKS.md).
process.getBuiltinModule?.('node:module').enableCompileCache?.();
const { main } = await import('../dist/cli/main.js');

process.exitCode = await main(process.argv);

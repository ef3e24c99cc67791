// node:fs for Node's entry, to read the .wasm files. Reached through process.getBuiltinModule
// (Node 20.16+, 22.3+) rather than an import statement: importing node:fs as an ES module makes
// Node build its module namespace, and reading every export for it loads Node's stream modules
// through fs's lazy getters. That took 2.4 ms on Node 20, 2.0 ms on Node 22 and 3.4 ms on
// Node 24 in fresh processes (measured), more than the rest of this package's import. Older
// Nodes take the import. The CommonJS build requires node:fs instead (scripts/bundle-node.mjs),
// which builds no namespace.
const fs = globalThis.process.getBuiltinModule?.('node:fs') ?? (await import('node:fs'));

export const { readFileSync } = fs;

// Exports a module's function table, after wasm-opt: `node scripts/export-table.mjs file.wasm...`.
//
// JavaScript adds the host's HMAC-SHA1 to the table when a large body first needs it
// (wasm/src/host.rs), so the table must be exported. Exported by the linker, it would keep alive
// every function it holds: wasm-opt could no longer drop the formatting code that only the
// panic paths' vtables name (1 KB of gzip in the verify module, measured). So the modules are
// optimised with a private table and the export is added here, as `__indirect_function_table`,
// the name the linker gives it. The table is linked growable (--growable-table, .cargo/config.toml).
import { readFileSync, writeFileSync } from 'node:fs';

const NAME = '__indirect_function_table';

function uleb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at];
    at += 1;
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}

function encode(value) {
  const out = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return out;
}

function exportTable(bytes) {
  const sections = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, start] = uleb(bytes, at + 1);
    sections.push({ id, start, end: start + size, from: at });
    at = start + size;
  }
  const tables = sections.find((s) => s.id === 4);
  // The modules import nothing (an imported table would come first and take index 0).
  if (sections.some((s) => s.id === 2)) throw new Error('export-table: the module imports something; it should not');
  if (!tables || uleb(bytes, tables.start)[0] !== 1) throw new Error('export-table: expected one function table');
  const limits = bytes[tables.start + 2];
  if (limits !== 0x00) throw new Error('export-table: the table has a maximum size; link it with --growable-table');
  const exports = sections.find((s) => s.id === 7);
  if (!exports) throw new Error('export-table: the module has no export section');
  const [count, first] = uleb(bytes, exports.start);
  const body = [...encode(count + 1), ...bytes.subarray(first, exports.end),
    ...encode(NAME.length), ...Buffer.from(NAME), 0x01, 0x00];
  return Buffer.concat([bytes.subarray(0, exports.from), Buffer.from([7, ...encode(body.length), ...body]),
    bytes.subarray(exports.end)]);
}

for (const file of process.argv.slice(2)) {
  const bytes = readFileSync(file);
  const out = exportTable(bytes);
  new WebAssembly.Module(out); // still a valid module
  writeFileSync(file, out);
}

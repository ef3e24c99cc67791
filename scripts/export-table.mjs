// Exports a module's function table, after wasm-opt: `node scripts/export-table.mjs file.wasm...`.
//
// JavaScript adds the host's HMAC-SHA1 to the table when a large body first needs it
// (wasm/src/host.rs), so the table must be exported. Exported by the linker, it would keep alive
// every function it holds: wasm-opt could no longer drop the formatting code that only the
// panic paths' vtables name (1 KB of gzip in the verify module, measured). So the modules are
// optimised with a private table and the export is added here (by binaryen.js, the package that
// provides wasm-opt), as `__indirect_function_table`, the name the linker gives it. The table is
// linked growable (--growable-table, .cargo/config.toml).
import { readFileSync, writeFileSync } from 'node:fs';
import binaryen from 'binaryen';

const NAME = '__indirect_function_table';

function exportTable(bytes) {
  // The modules import nothing (an imported table would come first and take index 0).
  if (WebAssembly.Module.imports(new WebAssembly.Module(bytes)).length > 0) {
    throw new Error('export-table: the module imports something; it should not');
  }
  const module = binaryen.readBinary(bytes);
  try {
    module.setFeatures(binaryen.Features.All);
    if (module.getNumTables() !== 1) throw new Error('export-table: expected one function table');
    const table = binaryen.getTableInfo(module.getTableByIndex(0));
    if (table.max !== undefined) throw new Error('export-table: the table has a maximum size; link it with --growable-table');
    module.addTableExport(table.name, NAME);
    if (!module.validate()) throw new Error('export-table: the module does not validate with the export');
    return module.emitBinary();
  } finally {
    module.dispose();
  }
}

for (const file of process.argv.slice(2)) {
  const out = exportTable(readFileSync(file));
  new WebAssembly.Module(out); // still a valid module
  writeFileSync(file, out);
}

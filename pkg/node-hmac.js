// node:crypto's HMAC-SHA1 (Node, Bun, Deno) for large bodies: it uses the CPU's SHA
// instructions, which a WebAssembly module cannot. Loaded on first need, not at import (loading
// node:crypto costs more than the rest of the start), through process.getBuiltinModule (Node
// 20.16+ and 22.3+, Bun, Deno); elsewhere the modules' own HMAC serves every body.

/** `(key, prefix, data) => bytes of HMAC-SHA1(key, prefix + data)`, or null. */
export function nodeHmac() {
  const crypto = globalThis.process?.getBuiltinModule?.('node:crypto');
  if (!crypto || typeof crypto.createHmac !== 'function') return null;
  return (key, prefix, data) => crypto.createHmac('sha1', key).update(prefix).update(data).digest();
}

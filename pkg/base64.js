// Bytes of the modules embedded as base64 text, for runtimes and bundlers that cannot take a
// .wasm file as it is.

/** Decodes standard base64 (the runtime's own decoder where it has one). */
export function decodeBase64(text) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

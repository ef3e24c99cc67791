// What every entry exports besides its own init(): one list, so the entries differ only in how
// they find the WebAssembly modules.
export { verify, createVerifier } from './verify.js';
export { parse, canonicalize, sign, signBody, deliveryKey, explain } from './tools.js';
export { DmsWebhookError } from './error.js';
export { verifyRequest, dmsResponse } from './fetch.js';

// What every entry exports besides its own init().
export { verify, sign, signBody, parse, canonicalize, explain, deliveryKey } from './dms_webhook.js';
export { DmsWebhookError } from './error.js';
export { verifyRequest, dmsResponse } from './fetch.js';

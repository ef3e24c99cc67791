// DMS posts here: POST /dms/node, on the Node.js runtime.
import { DmsWebhookError, dmsResponse, verifyRequest } from 'dms-webhook';
import { handleEvent, receiverOptions } from '../../../lib/dms.js';

export const runtime = 'nodejs';

export async function POST(request) {
  let result;
  try {
    result = await verifyRequest(request, receiverOptions());
  } catch (err) {
    // A refusal (bad signature, stale event, ...): a 4xx in DMS's format. INVALID_OPTIONS (the
    // settings are missing) is answered 500 and logged by dmsResponse.
    if (err instanceof DmsWebhookError) return dmsResponse(err);
    throw err; // anything else is a bug: Next.js logs it and answers 500
  }
  // What this throws reaches Next.js's error handling (logged, 500), and DMS delivers it again.
  await handleEvent(result.event, 'node');
  return dmsResponse(result);
}

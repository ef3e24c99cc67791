// The README's Next.js route handler: refusals answered in DMS's format, anything else thrown
// to Next.js's error handling. The fixture's events are from 2021: no freshness window here,
// where the README sets maxAgeMs.
import { DmsWebhookError, dmsResponse, verifyRequest } from 'dms-webhook';
import { URL, SECRET } from '../fixture.mjs';

export async function POST(request) {
  let result;
  try {
    result = await verifyRequest(request, { url: URL, secret: SECRET });
  } catch (err) {
    if (err instanceof DmsWebhookError) return dmsResponse(err);
    throw err;
  }
  return dmsResponse(result);
}

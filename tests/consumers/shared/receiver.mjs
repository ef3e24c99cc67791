// A Fetch API receiver as the README shows it (Workers, Next.js route handlers, edge
// functions): verifyRequest, then dmsResponse for the verdict; errors that are not the
// package's are logged, never swallowed.
import { verifyRequest, dmsResponse, DmsWebhookError } from 'dms-webhook';
import { URL, SECRET } from './fixture.mjs';

export async function receive(request) {
  try {
    const result = await verifyRequest(request, { url: URL, secret: SECRET });
    return dmsResponse(result);
  } catch (err) {
    if (!(err instanceof DmsWebhookError)) console.error(err);
    return dmsResponse(err);
  }
}

// A Fetch API receiver as the README shows it (Workers, edge functions, Deno, Bun): verifyRequest,
// then dmsResponse for the verdict. dmsResponse logs what it answers 500 (an error that is not a
// DmsWebhookError), so a bug is never swallowed. The fixture's events are from 2021: no
// freshness window here, where the README sets maxAgeMs.
import { verifyRequest, dmsResponse } from 'dms-webhook';
import { URL, SECRET } from './fixture.mjs';

export async function receive(request) {
  try {
    const result = await verifyRequest(request, { url: URL, secret: SECRET });
    return dmsResponse(result);
  } catch (err) {
    return dmsResponse(err);
  }
}

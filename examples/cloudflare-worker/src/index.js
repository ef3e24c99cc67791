// A Cloudflare Worker receiving Alibaba Cloud DMS custom-webhook notifications.
//
// Configuration (the Worker's environment):
//   WEBHOOK_URL     the webhook URL exactly as configured in the DMS console
//   WEBHOOK_SECRET  the signing password; several, comma-separated, while rotating
//   FORWARD_URL     optional: a URL that receives a short JSON summary of each verified notification
//
// In your own project, install the package and import it by name:
//   import { verifyRequest, dmsResponse, DmsWebhookError } from 'dms-webhook';
// (wrangler picks the package's "workerd" entry). This example imports the copy built in this
// repository instead, so that it runs without installing anything.
import { verifyRequest, dmsResponse, DmsWebhookError } from '../../../pkg/workerd.js';

const FORWARD_TIMEOUT_MS = 10000;

function settings(env) {
  const url = (env.WEBHOOK_URL ?? '').trim();
  const secret = String(env.WEBHOOK_SECRET ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!url || secret.length === 0) {
    throw new DmsWebhookError('INVALID_OPTIONS', 'the receiver is not configured: set WEBHOOK_URL and WEBHOOK_SECRET');
  }
  return { url, secret };
}

/** A one-line summary of a verified event, and its main fields. */
function summary(event) {
  const path = [event.category, event.module, event.event].filter(Boolean).join(' / ');
  const task = [event.taskId, event.taskName].filter((v) => v !== undefined && v !== null && v !== '').join(' ');
  const text = [path, task && `task ${task}`, event.message].filter(Boolean).join(' · ');
  return {
    text: `DMS: ${text}`,
    category: event.category ?? null,
    module: event.module ?? null,
    event: event.event ?? null,
    taskId: event.taskId === undefined ? null : String(event.taskId),
    taskName: event.taskName ?? null,
    eventTime: event.eventTime === undefined ? null : String(event.eventTime),
    message: event.message ?? null,
    submitterName: event.submitterName ?? null,
  };
}

async function forward(forwardUrl, event) {
  const response = await fetch(forwardUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(summary(event)),
    signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`the forward URL answered ${response.status}`);
}

export default {
  async fetch(request, env) {
    let verified;
    try {
      verified = await verifyRequest(request, settings(env));
    } catch (err) {
      return dmsResponse(err);
    }
    if (env.FORWARD_URL) {
      try {
        await forward(env.FORWARD_URL, verified.event);
      } catch (err) {
        // Verified but not passed on: say so in DMS's format, without the forward URL (it may
        // carry a token).
        const why = err.name === 'TimeoutError' ? 'the forward URL did not answer in time'
          : /^the forward URL answered \d+$/.test(err.message) ? err.message : 'the forward URL could not be reached';
        return new Response(JSON.stringify({ root: `FORWARD_FAILED: ${why}`, success: false }), {
          status: 502,
          headers: { 'content-type': 'application/json' },
        });
      }
    }
    return dmsResponse(verified);
  },
};

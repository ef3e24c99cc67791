// A Cloudflare Worker receiving Alibaba Cloud DMS custom-webhook notifications.
//
// Configuration (the Worker's environment):
//   WEBHOOK_URL         the webhook URL exactly as configured in the DMS console
//   WEBHOOK_SECRET      the signing password; several, comma-separated, while rotating
//   DELIVERIES          a KV namespace: handled deliveries are remembered there (by deliveryKey)
//                       so that a repeat is answered success without being handled again
//   MAX_AGE_MS          the freshness window on eventTime (default 3600000, one hour; "off")
//   FORWARD_URL         optional: a URL that receives a short JSON summary of each verified notification
//   FORWARD_TIMEOUT_MS  optional: how long to wait for it (default 5000)
//
// In your own project, install the package and import it by name:
//   import { verifyRequest, dmsResponse, deliveryKey, DmsWebhookError } from 'dms-webhook';
// (wrangler picks the package's "workerd" entry). This example imports the copy built in this
// repository instead, so that it runs without installing anything.
import { deliveryKey, verifyRequest, dmsResponse, DmsWebhookError } from '../../../pkg/workerd.js';

const DEFAULT_MAX_AGE_MS = 3600000;
// DMS waits a limited time for an answer and delivers again when it gets none. The Worker must
// answer first, or a forward still under way would be followed by a second one for the retry.
const DEFAULT_FORWARD_TIMEOUT_MS = 5000;
// A "being handled" mark lives this long (KV's minimum TTL): a retry arriving meanwhile gets 409.
const PENDING_TTL_SECONDS = 60;

function settings(env) {
  const url = (env.WEBHOOK_URL ?? '').trim();
  const secret = String(env.WEBHOOK_SECRET ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!url || secret.length === 0) {
    throw new DmsWebhookError('INVALID_OPTIONS', 'the receiver is not configured: set WEBHOOK_URL and WEBHOOK_SECRET');
  }
  const options = { url, secret };
  const maxAge = env.MAX_AGE_MS === undefined ? DEFAULT_MAX_AGE_MS : env.MAX_AGE_MS === 'off' ? null : Number(env.MAX_AGE_MS);
  if (maxAge !== null) options.maxAgeMs = maxAge;
  return options;
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

class ForwardError extends Error {
  /** @param {boolean} maybeDelivered the target may have received it (it did not answer in time) */
  constructor(message, maybeDelivered) {
    super(message);
    this.maybeDelivered = maybeDelivered;
  }
}

async function forward(env, event, key) {
  const timeout = Number(env.FORWARD_TIMEOUT_MS ?? DEFAULT_FORWARD_TIMEOUT_MS);
  let response;
  try {
    response = await fetch(env.FORWARD_URL, {
      method: 'POST',
      // The target can de-duplicate too: the key is the same for every copy of a notification.
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(summary(event)),
      // A redirect is not followed: the summary goes to the configured URL or nowhere.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeout),
    });
  } catch (err) {
    if (err && err.name === 'TimeoutError') throw new ForwardError('the forward URL did not answer in time', true);
    throw new ForwardError('the forward URL could not be reached', false);
  }
  await response.body?.cancel();
  if (response.status >= 300 && response.status < 400) {
    throw new ForwardError(`the forward URL answered ${response.status} (a redirect, not followed)`, false);
  }
  if (!response.ok) throw new ForwardError(`the forward URL answered ${response.status}`, false);
}

function failure(status, root) {
  return new Response(JSON.stringify({ root, success: false }), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
}

export default {
  async fetch(request, env) {
    let verified;
    let key;
    // A second reader of the body, for deliveryKey (verifyRequest caps what is read).
    const copy = env.DELIVERIES ? request.clone() : null;
    try {
      const options = settings(env);
      verified = await verifyRequest(request, options);
      if (copy) key = deliveryKey(new Uint8Array(await copy.arrayBuffer()));
    } catch (err) {
      copy?.body?.cancel().catch(() => {});
      return dmsResponse(err);
    }
    const record = key === undefined ? null : `dms:${key}`;
    if (record) {
      const state = await env.DELIVERIES.get(record);
      if (state === 'done') return dmsResponse(verified); // handled before: success, not again
      if (state === 'pending') {
        return failure(409, 'DELIVERY_IN_PROGRESS: this notification is being handled right now; retry later');
      }
      await env.DELIVERIES.put(record, 'pending', { expirationTtl: PENDING_TTL_SECONDS });
    }
    if (env.FORWARD_URL) {
      try {
        await forward(env, verified.event, key ?? '');
      } catch (err) {
        if (record) {
          // A target that may have it is not sent it again; one that refused it gets the retry.
          if (err.maybeDelivered) await env.DELIVERIES.put(record, 'done', { expirationTtl: 7 * 24 * 3600 });
          else await env.DELIVERIES.delete(record);
        }
        // Said in DMS's format, without the forward URL (it may carry a token).
        return failure(502, `FORWARD_FAILED: ${err instanceof ForwardError ? err.message : 'the forward failed'}`);
      }
    }
    if (record) {
      // Kept for as long as the freshness window could accept the event again (a week without one).
      const windowMs = settings(env).maxAgeMs;
      const ttl = windowMs === undefined ? 7 * 24 * 3600 : Math.max(60, Math.ceil((2 * windowMs) / 1000));
      await env.DELIVERIES.put(record, 'done', { expirationTtl: ttl });
    }
    return dmsResponse(verified);
  },
};

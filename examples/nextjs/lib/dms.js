// What both routes share: the receiver's settings and what is done with a verified event.
//
// Configuration (environment):
//   DMS_WEBHOOK_URL      the webhook URL exactly as configured in the DMS console
//   DMS_WEBHOOK_SECRET   the signing password; while rotating, both comma-separated
//   FORWARD_URL          optional: receives a JSON summary of each verified notification

/** One hour: a captured body replayed later than this is refused (EVENT_TOO_OLD). */
const MAX_AGE_MS = 60 * 60 * 1000;

/**
 * verifyRequest()'s options, read at each request. A missing URL or secret makes verifyRequest
 * throw INVALID_OPTIONS, which dmsResponse() answers 500 and logs.
 */
export function receiverOptions() {
  return {
    url: (process.env.DMS_WEBHOOK_URL ?? '').trim(),
    secret: (process.env.DMS_WEBHOOK_SECRET ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    maxAgeMs: MAX_AGE_MS,
  };
}

/**
 * Handles a verified event: logs it, and forwards a summary to FORWARD_URL when there is one.
 * Throws when forwarding fails, so that the route answers 500 and DMS delivers it again.
 * DMS may deliver one notification twice: to act once, remember deliveryKey(body) in a store
 * every instance shares (a database, KV), since serverless instances share no memory.
 */
export async function handleEvent(event, runtime) {
  const summary = [event.category, event.module, event.event].filter(Boolean).join(' / ');
  // JSON.stringify: the fields come from the sender; no control character reaches the log.
  console.log(`DMS notification (${runtime}): ${JSON.stringify(summary)} ${JSON.stringify(event.taskName ?? '')}`);
  const target = process.env.FORWARD_URL;
  if (!target) return;
  let response;
  try {
    response = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: summary, taskName: event.taskName, message: event.message }),
      redirect: 'manual',
      signal: AbortSignal.timeout(5000),
    });
  } catch (cause) {
    throw new Error('forwarding the DMS notification failed', { cause });
  }
  if (!response.ok) {
    throw new Error(`forwarding the DMS notification failed: HTTP ${response.status}`);
  }
}

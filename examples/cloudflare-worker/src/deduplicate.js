// The Worker of index.js with replay de-duplication by deliveryKey in Workers KV.
//
// DMS may deliver one notification more than once, and a captured signed body stays valid: it
// can be sent again. deliveryKey(body) (hex SHA-256 of the canonical messageEvent) is the same
// for every delivery of one notification. This Worker verifies first (so only authentic
// deliveries touch KV), answers success without processing again when the key is in KV, and
// records the key with a TTL once index.js has processed the delivery (status 200).
//
// To use it, in wrangler.toml:
//   main = "src/deduplicate.js"
//   [[kv_namespaces]]
//   binding = "DELIVERIES"
//   id = "<the id printed by: npx wrangler kv namespace create DELIVERIES>"
// Without a DELIVERIES binding it behaves exactly like index.js.
//
// KV is eventually consistent and has no atomic check-and-put: two copies arriving within the
// same second or two in different locations may both be processed. For exactly-once, record
// keys in a Durable Object or a D1 table with the key as PRIMARY KEY (INSERT fails the second time).
import worker from './index.js';
import { deliveryKey, dmsResponse, verifyRequest } from '../../../pkg/workerd.js';

const TTL_SECONDS = 7 * 24 * 3600; // keep keys a week (KV's minimum is 60 s)

function options(env) {
  const url = (env.WEBHOOK_URL ?? '').trim();
  const secret = String(env.WEBHOOK_SECRET ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return { url, secret };
}

export default {
  async fetch(request, env, ctx) {
    if (!env.DELIVERIES || request.method !== 'POST') return worker.fetch(request, env, ctx);
    let verified;
    let key;
    try {
      verified = await verifyRequest(request.clone(), options(env));
      // The whole body was read within the size cap above, so reading it again is bounded.
      key = `dms:${deliveryKey(new Uint8Array(await request.clone().arrayBuffer()))}`;
    } catch {
      return worker.fetch(request, env, ctx); // index.js refuses it with the right answer
    }
    if ((await env.DELIVERIES.get(key)) !== null) {
      return dmsResponse(verified); // already processed: success, so DMS stops retrying
    }
    const response = await worker.fetch(request, env, ctx);
    if (response.status === 200) {
      await env.DELIVERIES.put(key, new Date().toISOString(), { expirationTtl: TTL_SECONDS });
    }
    return response;
  },
};

// A Deno receiver for Alibaba Cloud DMS custom-webhook notifications (runs on Deno Deploy too).
//
//   WEBHOOK_URL=https://example.com/dms WEBHOOK_SECRET=password deno task start
//
// Configuration (environment):
//   WEBHOOK_URL     the webhook URL exactly as configured in the DMS console
//   WEBHOOK_SECRET  the signing password; several, comma-separated, while rotating
//   MAX_AGE_MS      the freshness window on eventTime (default 3600000, one hour; "off")
//   PORT, HOST      where to listen locally (default 8000 on 127.0.0.1)
//
// Replays: eventTime must be within the window, and a delivery handled once (same deliveryKey)
// is answered success without being handled again (remembered in memory, bounded; with several
// instances use a shared store such as Deno KV). A refusal closes the connection, so the rest of
// a large body is not read. SIGINT/SIGTERM stop accepting and let requests in flight finish.
//
// The package is imported by its name: in your own project, map it to npm in deno.json
// ("dms-webhook": "npm:dms-webhook", "dms-webhook/node-handler": "npm:dms-webhook/node-handler");
// this example's deno.json maps it to the copy built in this repository, so that it runs offline.
import { deliveryKey, dmsResponse, verifyRequest } from "dms-webhook";
import { MemoryDeliveryStore } from "dms-webhook/node-handler";

const url = (Deno.env.get("WEBHOOK_URL") ?? "").trim();
const secret = (Deno.env.get("WEBHOOK_SECRET") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
if (!url || secret.length === 0) {
  console.error("Set WEBHOOK_URL and WEBHOOK_SECRET (the URL and signing password configured in DMS).");
  Deno.exit(2);
}
const maxAgeEnv = Deno.env.get("MAX_AGE_MS");
const maxAgeMs = maxAgeEnv === "off" ? undefined : Number(maxAgeEnv ?? 3600000);
const options = maxAgeMs === undefined ? { url, secret } : { url, secret, maxAgeMs };
const handled = new MemoryDeliveryStore();
const handling = new Set<string>();

const port = Number(Deno.env.get("PORT") ?? 8000);
const hostname = Deno.env.get("HOST") ?? "127.0.0.1";

function oneLine(text: unknown): string {
  // Unverified text never drives the terminal: controls, bidi overrides and zero-width
  // characters are shown as <U+XXXX>.
  return String(text ?? "").replace(/[\t\n\r\u2028\u2029]+/g, " ")
    .replace(/[\p{Cc}\p{Cf}\p{Cs}]/gu, (c) => `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}>`)
    .slice(0, 200);
}

/**
 * DMS's answer. Deno's server reads a request body to its end even after the answer, whatever
 * its size; when a refusal left the body unread (too large, or refused before reading a body of
 * unknown length), the answer's body stream fails after the status and JSON are handed over,
 * which makes Deno drop the connection instead of reading gigabytes.
 */
function answer(resultOrError: unknown, request?: Request): Response {
  const response = dmsResponse(resultOrError);
  const code = (resultOrError as { code?: string } | null)?.code;
  const unread = code === "BODY_TOO_LARGE" ||
    (request !== undefined && response.status !== 200 && request.body !== null &&
      request.headers.get("content-length") === null && !request.bodyUsed);
  if (!unread) return response;
  const headers = new Headers(response.headers);
  headers.set("connection", "close");
  let sent = false;
  const text = response.body;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(new Uint8Array(await new Response(text).arrayBuffer()));
        return;
      }
      controller.error(new Error("refused: the connection is closed without reading the rest"));
    },
  });
  return new Response(body, { status: response.status, headers });
}

const server = Deno.serve({
  port,
  hostname,
  onListen(addr) {
    console.log(`DMS webhook receiver listening on http://${addr.hostname}:${addr.port}/`);
  },
}, async (request: Request): Promise<Response> => {
  let verified;
  let key: string;
  const copy = request.clone();
  try {
    verified = await verifyRequest(request, options);
    // The body was read within the size cap above, so reading the copy is bounded.
    key = deliveryKey(new Uint8Array(await copy.arrayBuffer()));
  } catch (err) {
    copy.body?.cancel().catch(() => {});
    console.log(`refused: ${oneLine((err as { code?: string }).code ?? err)}`);
    return answer(err, request);
  }
  if (handled.has(key)) {
    console.log(`duplicate: ${key} answered success, not handled again`);
    return answer(verified);
  }
  if (handling.has(key)) {
    return new Response(JSON.stringify({ root: "DELIVERY_IN_PROGRESS: retry later", success: false }), {
      status: 409,
      headers: { "content-type": "application/json" },
    });
  }
  handling.add(key);
  try {
    const e = verified.event;
    console.log(`OK ${oneLine([e.category, e.module, e.event].join("/"))} ${oneLine(e.message)}`);
    // Act on the notification here (store it, post it to a chat, start a job...).
    handled.add(key, Date.now() + 2 * (maxAgeMs ?? 3.5 * 24 * 3600000));
  } finally {
    handling.delete(key);
  }
  return answer(verified);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, async () => {
    await server.shutdown();
    Deno.exit(0);
  });
}

// A Deno receiver for Alibaba Cloud DMS custom-webhook notifications (runs on Deno Deploy too).
//
//   WEBHOOK_URL=https://example.com/dms WEBHOOK_SECRET=password deno task start
//
// Configuration (environment):
//   WEBHOOK_URL     the webhook URL exactly as configured in the DMS console
//   WEBHOOK_SECRET  the signing password; several, comma-separated, while rotating
//   PORT, HOST      where to listen locally (default 8000 on 127.0.0.1)
//
// In your own project import the package from npm instead:
//   import { verifyRequest, dmsResponse } from "npm:dms-webhook";
// This example imports the copy built in this repository, so that it runs offline.
// @ts-types="../../pkg/index.d.ts"
import { dmsResponse, verifyRequest } from "../../pkg/node.js";

const url = (Deno.env.get("WEBHOOK_URL") ?? "").trim();
const secret = (Deno.env.get("WEBHOOK_SECRET") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
if (!url || secret.length === 0) {
  console.error("Set WEBHOOK_URL and WEBHOOK_SECRET (the URL and signing password configured in DMS).");
  Deno.exit(2);
}

const port = Number(Deno.env.get("PORT") ?? 8000);
const hostname = Deno.env.get("HOST") ?? "127.0.0.1";

function oneLine(text: unknown): string {
  // deno-lint-ignore no-control-regex
  return String(text ?? "").replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").slice(0, 200);
}

Deno.serve({
  port,
  hostname,
  onListen(addr) {
    console.log(`DMS webhook receiver listening on http://${addr.hostname}:${addr.port}/`);
  },
}, async (request: Request): Promise<Response> => {
  try {
    const verified = await verifyRequest(request, { url, secret });
    const e = verified.event;
    console.log(`OK ${oneLine([e.category, e.module, e.event].join("/"))} ${oneLine(e.message)}`);
    // Act on the notification here (store it, post it to a chat, start a job...).
    return dmsResponse(verified);
  } catch (err) {
    console.log(`refused: ${oneLine((err as { code?: string }).code ?? err)}`);
    return dmsResponse(err);
  }
});

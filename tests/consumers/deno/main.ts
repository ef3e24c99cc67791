// A Deno program (run with no permission flags, and type-checked by deno check) that imports
// the package from node_modules as the README shows it, checks the fixture's bodies with
// verify(), and hands them to the README's Fetch API receiver as Requests.
import { verify, DmsWebhookError, type ErrorCode, type VerifiedWebhook } from "dms-webhook";
import { check } from "./check.mjs";
import { deliver, HEADERS } from "./deliver.mjs";
import { receive } from "./receiver.mjs";

// The types Deno reads for the package are the ones every other consumer gets.
const refusals: ErrorCode[] = ["SIGNATURE_MISMATCH", "MISSING_EVENT_HEADER"];
const typed: (body: string) => VerifiedWebhook["matched"] = (body) => verify(body, { url: "u", secret: "s" }).matched;
void refusals;
void typed;

console.log(check({ verify, DmsWebhookError }));
console.log(await deliver(async (body: string) => {
  const response = await receive(new Request("http://localhost/hook", { method: "POST", headers: HEADERS, body }));
  return { status: response.status, text: await response.text() };
}));

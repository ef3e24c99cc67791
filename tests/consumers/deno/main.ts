// A Deno program (run with no permission flags) that imports the package from node_modules as
// the README shows it, checks the fixture's bodies with verify(), and hands them to the
// README's Fetch API receiver as Requests.
import { verify, DmsWebhookError } from "dms-webhook";
import { check } from "./check.mjs";
import { deliver, HEADERS } from "./deliver.mjs";
import { receive } from "./receiver.mjs";

console.log(check({ verify, DmsWebhookError }));
console.log(await deliver(async (body: string) => {
  const response = await receive(new Request("http://localhost/hook", { method: "POST", headers: HEADERS, body }));
  return { status: response.status, text: await response.text() };
}));

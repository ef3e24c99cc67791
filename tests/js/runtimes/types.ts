// Typical use of the package, type-checked by `deno check` against pkg/index.d.ts.
import * as api from "../../../pkg/node.js";
import type {
  ErrorCode, Explanation, MessageEvent, VerifiedWebhook, VerifyOptions,
} from "../../../pkg/index.d.ts";

const options: VerifyOptions = { url: ["https://a.example/hook", "https://b.example/hook"], secret: "s", maxAgeMs: 300_000 };
const body: Uint8Array = new TextEncoder().encode("{}");
await api.init();

try {
  const verified: VerifiedWebhook = api.verify(body, options);
  const event: MessageEvent = verified.event;
  const time: number | string | undefined = event.eventTime;
  const who: string | undefined = event.receivers?.[0]?.name;
  const extra: unknown = event.anythingElse;
  const index: number | undefined = verified.matched?.secretIndex;
  const form: "canonical" | "raw" | undefined = verified.matched?.form;
  const method: "HMAC_SHA1" | "None" = verified.signatureMethod;
  console.log(time, who, extra, index, form, method);
} catch (err) {
  if (err instanceof api.DmsWebhookError) {
    const code: ErrorCode = err.code;
    const offset: number | undefined = err.offset;
    const message: string = err.message;
    console.log(code, offset, message);
  }
}

const signature: string = api.sign({ taskName: "x" }, { url: "https://a.example/hook", secret: "s" });
const signedBody: string = api.signBody('{"taskName":"x"}', { url: "https://a.example/hook", secret: "s" });
const parsed = api.parse(signedBody);
const text: string | null = parsed.signatureText;
const canonical: string = api.canonicalize(signedBody);
const key: string = api.deliveryKey(signedBody);
const report: Explanation = api.explain(signedBody, { ...options, revealExpected: true });
const hint = report.hints[0]?.code;
const expected = report.expected?.[0]?.canonical;
console.log(signature, text, canonical, key, report.ok, report.firstDifference, hint, expected);

// @ts-expect-error: the body is a string or bytes
api.verify(42, options);
// @ts-expect-error: url and secret are required
api.verify(body, { url: "https://a.example/hook" });
// @ts-expect-error: not an error code
const wrong: ErrorCode = "NOT_A_CODE";
console.log(wrong);

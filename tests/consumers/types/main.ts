// Type-checked by tsc under every module resolution the matrix names (node16 and nodenext, as an
// ES module and as CommonJS, and bundler): every public type from the root, every subpath.
// Compiled only, never run.
import {
  init,
  verify,
  createVerifier,
  sign,
  signBody,
  parse,
  canonicalize,
  explain,
  deliveryKey,
  verifyRequest,
  dmsResponse,
  DmsWebhookError,
  type ErrorCode,
  type RequestErrorCode,
  type HintCode,
  type VerifyOptions,
  type VerifyRequestOptions,
  type VerifiedWebhook,
  type MessageEvent,
  type Verifier,
  type WasmSource,
  type ExplainOptions,
  type Explanation,
} from "dms-webhook";
import {
  createHandler,
  verifyNodeRequest,
  readRawBody,
  sendDmsResponse,
  limitServer,
  closeGracefully,
  MemoryDeliveryStore,
  BodyBudget,
  DEFAULT_MAX_AGE_MS,
  DEFAULT_BODY_TIMEOUT_MS,
  SERVER_LIMITS,
  DmsWebhookError as HandlerError,
  type ReceiverOptions,
  type DeliveryStore,
  type DmsIncomingMessage,
} from "dms-webhook/node-handler";
import { Hono } from "hono";
import { dmsWebhook as honoReceiver, type DmsWebhookOptions, type DmsWebhookVariables } from "dms-webhook/hono";
import Fastify from "fastify";
import fastifyReceiver, { type DmsWebhookPluginOptions } from "dms-webhook/fastify";

const options: VerifyOptions = { url: "https://example.com/hook", secret: ["old", "new"], maxAgeMs: 60_000 };
const requestOptions: VerifyRequestOptions = { ...options, requireHeader: false };
const receiverOptions: ReceiverOptions = { ...requestOptions, maxAgeMs: null, deduplicate: new MemoryDeliveryStore() };

// Every code the package can throw, each once: a code missing from DmsWebhookError's `code`
// type, or one it has and this list lacks, is a type error.
const everyCode: Record<DmsWebhookError["code"], number> = {
  MALFORMED_JSON: 400,
  UNSUPPORTED_JSON: 422,
  NESTING_TOO_DEEP: 400,
  NUMBER_OUT_OF_RANGE: 400,
  INVALID_UTF8: 400,
  BODY_TOO_LARGE: 413,
  MISSING_MESSAGE_EVENT: 400,
  INVALID_MESSAGE_EVENT: 400,
  UNSIGNED: 401,
  UNSUPPORTED_SIGNATURE_METHOD: 401,
  SIGNATURE_MISMATCH: 401,
  EVENT_TOO_OLD: 401,
  EVENT_IN_FUTURE: 401,
  INVALID_OPTIONS: 500,
  METHOD_NOT_ALLOWED: 405,
  MISSING_EVENT_HEADER: 400,
  BODY_ALREADY_CONSUMED: 500,
  REQUEST_TIMEOUT: 408,
  SERVER_BUSY: 503,
  DELIVERY_IN_PROGRESS: 409,
  REQUEST_ABORTED: 400,
};

function statusOf(err: unknown): number {
  if (!(err instanceof DmsWebhookError)) return 500;
  switch (err.code) {
    case "SIGNATURE_MISMATCH":
    case "MISSING_EVENT_HEADER":
    case "METHOD_NOT_ALLOWED":
      return everyCode[err.code];
    default:
      return everyCode[err.code];
  }
}

const core: ErrorCode = "SIGNATURE_MISMATCH";
const receiver: RequestErrorCode = "REQUEST_ABORTED";
const hint: HintCode = "URL_TRAILING_SLASH";
const sameError: DmsWebhookError = new HandlerError("MISSING_EVENT_HEADER", "no header");

async function receive(request: Request): Promise<Response> {
  try {
    const result: VerifiedWebhook = await verifyRequest(request, requestOptions);
    const event: MessageEvent = result.event;
    void event.taskName;
    return dmsResponse(result);
  } catch (err) {
    return dmsResponse(err);
  }
}

async function everythingElse(body: Uint8Array, source: WasmSource): Promise<void> {
  await init();
  await init({ verify: source, full: new URL("https://example.com/full.wasm") });
  const verifier: Verifier = createVerifier(options);
  verifier.verify(body, Date.now());
  verify("{}", options);
  const signature: string = sign({ n: 1 }, { url: "u", secret: "s" });
  const whole: string = signBody('{"n":1}', { url: "u", secret: "s" });
  parse(whole).signatureText?.length;
  canonicalize(body).length;
  deliveryKey(body).length;
  const explainOptions: ExplainOptions = { ...options, revealExpected: true };
  const explanation: Explanation = explain(body, explainOptions);
  void explanation.hints.map((h) => h.code);
  void signature;
}

const store: DeliveryStore = { has: async () => false, add: () => undefined };
const handler = createHandler({ ...receiverOptions, deduplicate: store, bodyBudget: new BodyBudget(1 << 20) }, (result, req: DmsIncomingMessage) => {
  void result.matched?.secretIndex;
  void req.dmsWebhookDuplicate;
});

const honoOptions: DmsWebhookOptions = () => ({ ...requestOptions, maxAgeMs: null });
const app = new Hono<{ Variables: DmsWebhookVariables }>();
app.post("/dms-hook", honoReceiver(honoOptions), (c) => dmsResponse(c.get("dmsWebhook")));

const pluginOptions: DmsWebhookPluginOptions = {
  ...receiverOptions,
  path: "/dms-hook",
  async onVerified(result, request) {
    void result.event;
    void request.dmsWebhook?.matched;
  },
};
const server = Fastify();
void server.register(fastifyReceiver, pluginOptions);

void [statusOf, core, receiver, hint, sameError, receive, everythingElse, handler, verifyNodeRequest, readRawBody,
  sendDmsResponse, limitServer, closeGracefully, DEFAULT_MAX_AGE_MS, DEFAULT_BODY_TIMEOUT_MS, SERVER_LIMITS];

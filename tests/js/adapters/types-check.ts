// How a TypeScript user meets the adapters' types (checked by `deno check` in a project with the
// packed package): the verified delivery typed on Hono's Context and on Fastify's request, the
// options checked, dmsResponse's onError.
import { Hono } from "hono";
import Fastify from "fastify";
import { dmsResponse, type VerifiedWebhook } from "dms-webhook";
import { dmsWebhook, DmsWebhookError, MemoryDeliveryStore, type DmsWebhookVariables } from "dms-webhook/hono";
import dmsWebhookPlugin, { dmsWebhook as namedPlugin, type DmsWebhookPluginOptions } from "dms-webhook/fastify";

type Bindings = { WEBHOOK_URL: string; WEBHOOK_SECRET: string };
const app = new Hono<{ Bindings: Bindings }>();
app.post(
  "/dms",
  dmsWebhook<{ Bindings: Bindings }>((c) => ({ url: c.env.WEBHOOK_URL, secret: c.env.WEBHOOK_SECRET.split(",") })),
  (c) => {
    const verified: VerifiedWebhook = c.get("dmsWebhook");
    const time: number | string | undefined = verified.event.eventTime;
    console.log(time);
    return dmsResponse(verified, { onError: (error: unknown) => console.log(error) });
  },
);
app.use("/other", dmsWebhook({ url: "https://a.example/", secret: "s", maxAgeMs: null, deduplicate: new MemoryDeliveryStore({ maxKeys: 10 }) }));
const variables: DmsWebhookVariables = { dmsWebhook: {} as VerifiedWebhook };
console.log(variables, DmsWebhookError);
// @ts-expect-error: a URL is a string or strings
dmsWebhook({ url: 1, secret: "s" });
// @ts-expect-error: a store has has() and add()
dmsWebhook({ url: "u", secret: "s", deduplicate: { has: () => true } });

const fastify = Fastify();
const options: DmsWebhookPluginOptions = {
  url: "https://a.example/",
  secret: ["old", "new"],
  path: "/dms",
  bodyTimeoutMs: 5000,
  async onVerified(result, request, reply) {
    const same: VerifiedWebhook | null = request.dmsWebhook;
    console.log(result.event.taskName, same);
    reply.header("x-handled", "1");
  },
};
fastify.register(dmsWebhookPlugin, options);
fastify.register(namedPlugin, { url: "u", secret: "s", prefix: "/hooks" });
// @ts-expect-error: path is a string
fastify.register(dmsWebhookPlugin, { url: "u", secret: "s", path: 5 });

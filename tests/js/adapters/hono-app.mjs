// A Hono app on Node (@hono/node-server), written as a user writes one: the package and the
// frameworks imported by name. The tests copy this file into a project with the packed package.
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { dmsResponse } from 'dms-webhook';
import { dmsWebhook, DmsWebhookError, MemoryDeliveryStore } from 'dms-webhook/hono';

export { dmsResponse, dmsWebhook, DmsWebhookError, MemoryDeliveryStore };

/**
 * Starts a server for an app that `setup(app)` fills in. app.onError records what reaches it and
 * answers 500 `{"onError": message}`.
 */
export async function start(setup) {
  const app = new Hono();
  const errors = [];
  app.onError((err, c) => {
    errors.push(err);
    return c.json({ onError: err.message }, 500);
  });
  setup(app);
  const server = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    errors,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

// A Fastify app, written as a user writes one: the package and Fastify imported by name. The tests
// copy this file into a project with the packed package.
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import dmsWebhook, { BodyBudget, DmsWebhookError, MemoryDeliveryStore } from 'dms-webhook/fastify';

export { dmsWebhook, BodyBudget, DmsWebhookError, MemoryDeliveryStore };

/**
 * Starts an app with the plugin registered with `options`, and a JSON route of the app's own
 * (POST /json echoes the parsed body). With `errorHandler: true` the app's error handler records
 * what reaches it and answers 500 `{"errorHandler": message}`; otherwise Fastify's default one
 * answers, and its log (level error) is kept in `log`.
 */
export async function start(options, { errorHandler = true, register = (app) => app.register(dmsWebhook, options) } = {}) {
  const log = [];
  const app = Fastify({
    logger: {
      level: 'error',
      stream: new Writable({ write(chunk, _, done) { log.push(JSON.parse(chunk)); done(); } }),
    },
  });
  const errors = [];
  if (errorHandler) {
    app.setErrorHandler((err, request, reply) => {
      errors.push(err);
      reply.code(500).send({ errorHandler: err.message });
    });
  }
  app.post('/json', async (request) => ({ parsed: request.body }));
  await register(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    base: `http://127.0.0.1:${app.server.address().port}`,
    errors,
    log,
    close: () => app.close(),
  };
}

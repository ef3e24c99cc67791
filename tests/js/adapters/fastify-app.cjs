// The same plugin from CommonJS: `require('dms-webhook/fastify')`.
const Fastify = require('fastify');
const { dmsWebhook } = require('dms-webhook/fastify');
const plugin = require('dms-webhook/fastify');

/** An app with the plugin on POST /dms, answered through Fastify's inject(). */
async function check(options, body, headers) {
  const app = Fastify();
  await app.register(dmsWebhook, { ...options, path: '/dms' });
  const reply = await app.inject({ method: 'POST', url: '/dms', payload: body, headers });
  await app.close();
  return {
    status: reply.statusCode,
    json: reply.json(),
    same: plugin.default === dmsWebhook && plugin.dmsWebhook === dmsWebhook,
  };
}

module.exports = { check };

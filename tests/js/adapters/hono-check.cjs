// dms-webhook/hono from CommonJS in Node: require() of the package and of Hono's CommonJS build.
const { Hono } = require('hono');
const { dmsResponse } = require('dms-webhook');
const { dmsWebhook } = require('dms-webhook/hono');
const bodies = require('./bodies.cjs');

(async () => {
  const app = new Hono();
  app.post('/dms', dmsWebhook(bodies.options), (c) => dmsResponse(c.get('dmsWebhook')));
  const answers = [];
  for (const body of [bodies.signed, bodies.tampered]) {
    const response = await app.request('/dms', {
      method: 'POST', headers: { 'DMS-Event': 'Message Hook', 'Content-Type': 'application/json' }, body,
    });
    answers.push(`${response.status} ${await response.text()}`);
  }
  console.log(JSON.stringify({ entry: require.resolve('dms-webhook/hono'), answers }));
})();

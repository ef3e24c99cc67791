// Refusal cost under attack, on loopback: `node bench/attack.mjs [--seconds 10] [--connections 8]`
// (after `bash scripts/build.sh`).
//
// Sends forged 1 MiB bodies (valid JSON, wrong signature) as fast as they are answered to
// `dms-webhook listen` and to a verify-only node:http server (readRawBody + verify, nothing else)
// in turn, then prints the refusals per second of each, their ratio (the target is >= 0.6), and
// the latency of a signed POST sent to listen while it is flooded, and listen's RSS. One JSON line
// at the end for scripts. Loopback only; bounded by --seconds.
import { spawn } from 'node:child_process';
import { createServer, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signBody, verify } from '../pkg/node.js';
import { readRawBody } from '../pkg/node-handler.js';

const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const SECONDS = arg('seconds', 10);
const CONNECTIONS = arg('connections', 8);
const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const URL_ = 'https://hooks.example.com/dms/attack';
const SECRET = 'attack-bench-secret';
const DMS = { 'dms-event': 'Message Hook', 'content-type': 'application/json' };
const FORGED = Buffer.from(signBody({ message: 'x'.repeat(1048576 - 400), eventTime: Date.now() }, { url: URL_, secret: 'wrong' }));

function post(port, body) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/dms', method: 'POST', headers: { ...DMS, 'content-length': String(body.length) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

async function flood(port, seconds) {
  const end = performance.now() + seconds * 1000;
  let answered = 0;
  let wrong = 0;
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (performance.now() < end) {
      const status = await post(port, FORGED);
      if (status === 401) answered += 1;
      else wrong += 1;
    }
  }));
  return { perSecond: answered / seconds, wrong };
}

// The baseline: verify only.
const baseline = createServer(async (req, res) => {
  let status = 200;
  try {
    verify(await readRawBody(req, 1048576), { url: URL_, secret: SECRET });
  } catch {
    status = 401;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end('{"root":"","success":false}');
});
baseline.listen(0, '127.0.0.1');
await once(baseline, 'listening');

const child = spawn(process.execPath, [path.join(ROOT, 'pkg', 'cli.js'), 'listen', '--port', '0', '--url', URL_],
  { env: { ...process.env, DMS_WEBHOOK_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
child.stdout.on('data', (c) => { if (out.length < 100000) out += c; });
while (!/listening on http:\/\/127\.0\.0\.1:(\d+)\//.test(out)) await new Promise((r) => setTimeout(r, 20));
const listenPort = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(out)[1]);
const rss = () => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;

await flood(baseline.address().port, 1); // warm up both
await flood(listenPort, 1);
const base = await flood(baseline.address().port, SECONDS);
const rssBefore = rss();
let legitMs = 0;
const legit = (async () => {
  await new Promise((r) => setTimeout(r, (SECONDS * 1000) / 2));
  const t0 = performance.now();
  await post(listenPort, Buffer.from(signBody({ message: 'legit', eventTime: Date.now() }, { url: URL_, secret: SECRET })));
  legitMs = performance.now() - t0;
})();
const cli = await flood(listenPort, SECONDS);
await legit;
const rssAfter = rss();
child.kill('SIGTERM');
await once(child, 'exit');
baseline.close();

const ratio = cli.perSecond / base.perSecond;
console.log(`forged 1 MiB bodies, ${CONNECTIONS} connections, ${SECONDS} s each, loopback`);
console.log(`  verify-only server   ${base.perSecond.toFixed(1)} refusals/s`);
console.log(`  dms-webhook listen   ${cli.perSecond.toFixed(1)} refusals/s  (ratio ${ratio.toFixed(2)}; target >= 0.60)`);
console.log(`  signed POST during the flood: ${legitMs.toFixed(0)} ms; listen RSS ${rssBefore.toFixed(0)} -> ${rssAfter.toFixed(0)} MiB`);
console.log(JSON.stringify({ baselinePerSecond: base.perSecond, listenPerSecond: cli.perSecond, ratio, legitMs, rssBeforeMiB: rssBefore, rssAfterMiB: rssAfter, wrongStatus: base.wrong + cli.wrong }));
process.exit(base.wrong + cli.wrong === 0 ? 0 : 1);

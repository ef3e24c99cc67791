// Load test of `dms-webhook listen` on loopback: `node bench/load.mjs [--duration 30] [--connections 10]`
// (after `bash scripts/build.sh`).
//
// Starts `node pkg/cli.js listen --port 0 --url U --max-age off` with the secret in DMS_WEBHOOK_SECRET
// (a free port; the bodies repeat, dated 2021: repeats are answered 200 as duplicates), drives it with
// autocannon (POST, `DMS-Event: Message Hook`, a rotation of signed bodies from 0.5 KB to 16 KB,
// one in ten sent with a wrong signature and expected to be refused with 401), then prints
// requests/s, latency p50/p99, errors (connection errors, timeouts and unexpected statuses; must
// be 0) and the listen process's VmRSS before and after (from /proc/<pid>/status). Exits 1 when
// anything went wrong. Prints one JSON line at the end for scripts.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import autocannon from 'autocannon';
import { signBody } from '../pkg/node.js';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const DURATION = arg('duration', 30);
const CONNECTIONS = arg('connections', 10);
const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const URL_ = 'https://hooks.example.com/dms/load';
const SECRET = 'load-test-secret-4Fq';

function rssKb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
}

function bodies() {
  const out = [];
  for (let i = 0; i < 20; i += 1) {
    const event = {
      submitterName: '张三', submitterUid: `16738266501${i}`, category: '工单', module: '数据变更',
      event: i % 2 ? '执行成功' : '待审批', taskId: String(1000 + i), taskName: `load ${i}`,
      eventTime: 1625630049930 + i, message: '【DMS数据管理】'.repeat(1 + (i % 5) * 100),
      receivers: [{ uid: String(i), name: `r${i}` }], targetUsers: [{ uid: String(i), name: `t${i}` }],
    };
    let body = signBody(event, { url: URL_, secret: SECRET });
    const tampered = i % 10 === 9;
    if (tampered) body = body.replace('"taskName":"load', '"taskName":"LOAD');
    out.push({ body, status: tampered ? 401 : 200 });
  }
  return out;
}

async function startListen() {
  const child = spawn(process.execPath, [path.join(ROOT, 'pkg', 'cli.js'), 'listen', '--port', '0',
    '--host', '127.0.0.1', '--url', URL_, '--max-age', 'off'], { env: { ...process.env, DMS_WEBHOOK_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`listen did not start: ${text}`)), 10000);
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`listen exited ${code}: ${text}`)));
  });
  // Keep reading the delivery log so the pipe never fills; count its lines.
  let lines = 0;
  child.stdout.removeAllListeners('data');
  child.stdout.on('data', (chunk) => {
    for (const c of chunk) if (c === 10) lines += 1;
  });
  return { child, port, lines: () => lines };
}

const { child, port, lines } = await startListen();
const cases = bodies();
const base = `http://127.0.0.1:${port}`;
// Warm up (JIT, wasm) before the RSS baseline.
for (const { body } of cases) {
  await fetch(`${base}/`, { method: 'POST', headers: { 'DMS-Event': 'Message Hook', 'content-type': 'application/json' }, body });
}
const rssBefore = rssKb(child.pid);

let wrongStatus = 0;
let expectedRefusals = 0;
let next = 0;
const instance = autocannon({
  url: base,
  connections: CONNECTIONS,
  duration: DURATION,
  method: 'POST',
  headers: { 'dms-event': 'Message Hook', 'content-type': 'application/json' },
  requests: [{
    setupRequest: (req, context) => {
      const c = cases[next % cases.length];
      next += 1;
      context.expected = context.expected ?? [];
      context.expected.push(c.status);
      return { ...req, body: c.body };
    },
    onResponse: (status, _body, context) => {
      const want = context.expected.shift();
      if (status !== want) wrongStatus += 1;
      else if (status === 401) expectedRefusals += 1;
    },
  }],
});
const result = await instance;
await new Promise((r) => setTimeout(r, 500));
const rssAfter = rssKb(child.pid);
child.kill('SIGTERM');
await once(child, 'exit');

const errors = result.errors + result.timeouts + wrongStatus;
const summary = {
  durationS: DURATION,
  connections: CONNECTIONS,
  requests: result.requests.total,
  requestsPerSecond: Math.round(result.requests.average),
  latencyP50Ms: result.latency.p50,
  latencyP99Ms: result.latency.p99,
  latencyMaxMs: result.latency.max,
  errors,
  connectionErrors: result.errors,
  timeouts: result.timeouts,
  unexpectedStatus: wrongStatus,
  refusedAsExpected: expectedRefusals,
  deliveryLogLines: lines(),
  rssBeforeKb: rssBefore,
  rssAfterKb: rssAfter,
};
console.log(`dms-webhook listen, ${DURATION} s, ${CONNECTIONS} connections, loopback`);
console.log(`  requests/s   ${summary.requestsPerSecond} (${summary.requests} requests; ${expectedRefusals} tampered ones refused with 401 as expected)`);
console.log(`  latency      p50 ${summary.latencyP50Ms} ms, p99 ${summary.latencyP99Ms} ms, max ${summary.latencyMaxMs} ms`);
console.log(`  errors       ${errors} (connection ${result.errors}, timeouts ${result.timeouts}, unexpected status ${wrongStatus})`);
console.log(`  listen RSS   ${(rssBefore / 1024).toFixed(1)} MiB before, ${(rssAfter / 1024).toFixed(1)} MiB after`);
console.log(JSON.stringify(summary));
process.exit(errors === 0 && result.requests.total > 0 ? 0 : 1);

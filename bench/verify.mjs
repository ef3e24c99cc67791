// The benchmark: `node bench/verify.mjs [--processes N] [--rounds N] [--cold N] [--no-browsers]` (after
// `bash scripts/build.sh`). Every figure is a ratio to a baseline measured in the same run, so
// that a busy machine slows both sides alike:
//
// 1. Warm speed, in each of three fresh processes, after a warm-up round, contenders
//    interleaved round by round, each round in its own shuffled order, so that no contender
//    always runs after the same one (and pays for the garbage it left). In a process, a time is
//    the median of the rounds, and a ratio the median of the rounds' ratios of two contenders
//    measured in the same round, which a machine whose speed drifts from minute to minute
//    disturbs least; the figure is the median of the processes', since how V8 happens to
//    optimise a contender can make it 20-70% slower for a whole process (seen on each side):
//    verify() alone (the verdict), verify() + reading `.event` (what a receiver pays in all),
//    a reused createVerifier(), against
//    - createHmac: node:crypto's HMAC-SHA1 over the canonical text alone (no parsing at all);
//    - by hand: what most receivers write (JSON.parse, JSON.stringify dropping nulls, createHmac,
//      timingSafeEqual). It is NOT exact (it breaks on big numbers, duplicate keys, U+2028...)
//      but it accepts these bodies, which makes it a fair speed baseline.
//    Bodies: DMS's own example (525 B), 16 KB and 256 KB events, as a string and as bytes; and
//    two bodies off the easy path: one re-serialised with spaces (verified over its raw form) and
//    one with a duplicate key (read by the full module).
// 2. Cold start, fresh Node processes in pairs (ours, then by hand): import + first verification,
//    then the mean of the next 100 calls, wall clock and CPU time; and, on Linux, how much of the
//    machine's CPU time other work and the host (steal) took meanwhile. Those figures assume free
//    cores: in its first hundred calls V8 optimises the module on background threads, which the
//    hand-written verifier has none of, so a core held by other work slows ours alone.
// 3. Sizes: each .wasm and its gzip, the tarball.
// 4. Cold start elsewhere: workerd (a Worker verifying one request) and Chromium (a page that
//    imports the package, awaits init() and verifies, each part timed), with hand-written
//    equivalents on WebCrypto.
import { execFileSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as api from '../pkg/node.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const ROUNDS = arg('rounds', 31);
const PROCESSES = arg('processes', 3);
/** Set in the processes that measure the warm speed (part 1) for the main one. */
const WARM_WORKER = args.includes('--warm-worker');
const COLD_RUNS = arg('cold', 31);
const BROWSERS = !args.includes('--no-browsers');
const BATCH_MS = 10;

const URL_ = 'http://my.host:8000/';
const SECRET = 'secret';
const OPTIONS = { url: URL_, secret: SECRET };

// DMS's example, as DMS sends it (525 bytes).
const EXAMPLE = '{"messageEvent":{"submitterName":"xxx","submitterUid":"167382665015xxxx","category":"工單","event":"執行成功","eventTime":1625630049930,"message":"【DMS數據管理】Webhook test, code: 144619 ","module":"數據變更","receivers":[{"name":"xxx1","uid":"167382665015xxxx"},{"name":"xxx2","uid":"167382665016xxxx"}],"targetUsers":[{"name":"xxx1","uid":"167382665015xxxx"},{"name":"xxx2","uid":"167382665016xxxx"}],"taskName":"Webhook test"},"signatureMethod":"HMAC_SHA1","signatureText":"/xQPai4qeye/52aNQcdr2X456OQ="}';

/** A realistic DMS event of about `size` bytes: a long Chinese message and many receivers. */
function eventOfSize(size) {
  const people = (n, from) => Array.from({ length: n }, (_, i) => ({
    name: `${['张', '王', '李', '赵', '刘'][i % 5]}工程师${from + i}`,
    uid: String(1673826650150000n + BigInt(from + i)),
  }));
  const line = '【DMS数据管理】工单 #144619 数据变更执行成功：UPDATE orders SET status = 2 WHERE id IN (...)，影响行数 1024。审批人已确认，请相关负责人检查结果。\n';
  const count = Math.max(2, Math.floor(size / 400));
  const event = {
    submitterName: '数据库管理员', submitterUid: '167382665015xxxx', category: '工单', module: '数据变更',
    event: '执行成功', taskId: '144619', taskName: '订单状态批量修复', eventTime: 1625630049930, message: '',
    receivers: people(count, 0), targetUsers: people(count, count),
  };
  const base = Buffer.byteLength(api.signBody(event, OPTIONS));
  event.message = line.repeat(Math.max(0, Math.floor((size - base) / Buffer.byteLength(line))));
  return event;
}

/** The example re-serialised with spaces after ':' and ',', signed over that text (the raw form). */
function reserialised() {
  const event = JSON.stringify(JSON.parse(EXAMPLE).messageEvent, null, 1).replace(/\n\s*/g, ' ');
  const signature = createHmac('sha1', SECRET).update(URL_ + SECRET + event).digest('base64');
  return `{"messageEvent":${event},"signatureMethod":"HMAC_SHA1","signatureText":"${signature}"}`;
}

/** The example with a duplicate key, signed over fastjson's merged form. */
function duplicated() {
  const event = JSON.parse(EXAMPLE).messageEvent;
  const text = JSON.stringify(event).replace('"category":"工單"', '"category":"草稿","category":"工單"');
  return `{"messageEvent":${text},"signatureMethod":"HMAC_SHA1","signatureText":"${api.sign(text, OPTIONS)}"}`;
}

const BODIES = [
  ['525 B (DMS example)', EXAMPLE, true],
  ['16 KB', api.signBody(eventOfSize(16 * 1024), OPTIONS), true],
  ['256 KB', api.signBody(eventOfSize(256 * 1024), OPTIONS), true],
  ['525 B re-serialised (raw form)', reserialised(), false],
  ['525 B with a duplicate key', duplicated(), false],
];

const decoder = new TextDecoder();
const dropNulls = (key, value) => (value === null ? undefined : value);
function byHand(body) {
  const parsed = JSON.parse(typeof body === 'string' ? body : decoder.decode(body));
  const canonical = JSON.stringify(parsed.messageEvent, dropNulls);
  const expected = createHmac('sha1', SECRET).update(URL_ + SECRET + canonical).digest();
  const given = Buffer.from(String(parsed.signatureText), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ---------------------------------------------------------------------------------------------
// 1. Warm speed

const verifier = api.createVerifier(OPTIONS);
const cases = [];
for (const [label, text, both] of BODIES) {
  const bytes = new TextEncoder().encode(text);
  const canonical = api.canonicalize(text);
  const signature = api.parse(text).signatureText;
  const hmacOnly = () => createHmac('sha1', SECRET).update(URL_ + SECRET + canonical).digest('base64') === signature;
  if (!hmacOnly() && both) throw new Error(`createHmac refuses the ${label} body`);
  if (api.verify(bytes, OPTIONS).matched === null) throw new Error(`verify refuses the ${label} body`);
  for (const [form, body] of both ? [['string', text], ['Uint8Array', bytes]] : [['string', text]]) {
    const add = (name, fn) => cases.push({ label, form, size: bytes.length, name, fn });
    add('verify', () => api.verify(body, OPTIONS));
    add('verify + .event', () => api.verify(body, OPTIONS).event);
    add('createVerifier().verify', () => verifier.verify(body));
    if (both) add('by hand', () => byHand(body));
  }
  cases.push({ label, form: 'string', size: bytes.length, name: 'createHmac', fn: hmacOnly });
}

/** Operations per batch so that a batch takes about BATCH_MS. */
function calibrate(fn) {
  let n = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i += 1) fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms >= BATCH_MS / 4) return Math.max(1, Math.round((n * BATCH_MS) / ms));
    n *= 4;
  }
}

/** Part 1 in this process: each case's samples, µs per call, round by round. */
function measureWarm() {
  for (const c of cases) {
    c.batch = calibrate(c.fn);
    c.samples = [];
  }
  // One untimed round: every contender warmed up (JIT, caches) after the others ran too.
  for (const c of cases) for (let i = 0; i < c.batch; i += 1) c.fn();
  // A fixed seed: the same orders at every run.
  let seed = 0x2545f491;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const order = cases.map((_, i) => i);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let i = order.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const k of order) {
      const c = cases[k];
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < c.batch; i += 1) c.fn();
      c.samples.push(Number(process.hrtime.bigint() - t0) / 1e3 / c.batch);
    }
  }
  return cases.map((c) => c.samples);
}

if (WARM_WORKER) {
  console.log(JSON.stringify(measureWarm()));
  process.exit(0);
}

// Each process's samples of each case, in the order of `cases`.
const runs = [];
for (let p = 0; p < PROCESSES; p += 1) {
  runs.push(JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--warm-worker', '--rounds', String(ROUNDS)], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  })));
}
cases.forEach((c, i) => {
  c.runs = runs.map((run) => run[i]);
  c.us = median(c.runs.map(median));
});
const find = (label, form, name) => cases.find((c) => c.label === label && c.form === form && c.name === name);
/** How many times `a` takes `b`'s time: in each process the median of the rounds' ratios; their median. */
const ratio = (a, b) => median(a.runs.map((samples, p) => median(samples.map((t, round) => t / b.runs[p][round]))));

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
console.log(`node ${process.version}, ${PROCESSES} processes of ${ROUNDS} interleaved rounds of ~${BATCH_MS} ms per case; median µs per call\n`);
console.log(`${pad('body', 32)}${pad('form', 12)}${pad('contender', 26)}${lpad('µs', 10)}${lpad('MB/s', 8)}  ratio`);
for (const [label] of BODIES) {
  const hmac = find(label, 'string', 'createHmac');
  for (const form of ['string', 'Uint8Array']) {
    const hand = find(label, form, 'by hand');
    for (const c of cases.filter((x) => x.label === label && x.form === form && x.name !== 'createHmac')) {
      const ratios = c === hand ? '' : `${ratio(c, hmac).toFixed(2)}x createHmac${hand ? `, ${ratio(c, hand).toFixed(2)}x by hand` : ''}`;
      console.log(`${pad(label, 32)}${pad(form, 12)}${pad(c.name, 26)}${lpad(c.us.toFixed(2), 10)}${lpad((c.size / c.us).toFixed(0), 8)}  ${ratios}`);
    }
  }
  console.log(`${pad(label, 32)}${pad('(canonical)', 12)}${pad('createHmac', 26)}${lpad(hmac.us.toFixed(2), 10)}${lpad((hmac.size / hmac.us).toFixed(0), 8)}`);
}

// ---------------------------------------------------------------------------------------------
// 2. Cold start in Node: fresh processes in pairs

const COLD = `
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const BODY = ${JSON.stringify(EXAMPLE)};
const O = ${JSON.stringify(OPTIONS)};
const w0 = performance.now(), c0 = cpu();
let check;
if (process.argv[2] === 'hand') {
  const { createHmac, timingSafeEqual } = await import('node:crypto');
  check = (body) => {
    const p = JSON.parse(body);
    const canonical = JSON.stringify(p.messageEvent, (k, v) => (v === null ? undefined : v));
    const expected = createHmac('sha1', O.secret).update(O.url + O.secret + canonical).digest();
    const given = Buffer.from(String(p.signatureText), 'base64');
    if (!(given.length === expected.length && timingSafeEqual(given, expected))) throw new Error('refused');
  };
} else {
  const { verify } = await import(process.argv[2]);
  check = (body) => verify(body, O);
}
check(BODY);
const w1 = performance.now(), c1 = cpu();
for (let i = 0; i < 100; i += 1) check(BODY);
const w2 = performance.now(), c2 = cpu();
console.log(JSON.stringify({ first: w1 - w0, firstCpu: c1 - c0, next: (w2 - w1) * 10, nextCpu: (c2 - c1) * 10 }));`;
// A script file, as an application's entry is (an inline -e script makes Node set up its module
// loader at the first import, which would count against the package alone).
const coldDir = mkdtempSync(path.join(tmpdir(), 'dms-bench-cold-'));
const coldScript = path.join(coldDir, 'cold.mjs');
writeFileSync(coldScript, COLD);
const entry = new URL('../pkg/node.mjs', import.meta.url).href;
const fresh = (who) => JSON.parse(execFileSync(process.execPath, [coldScript, who], { encoding: 'utf8' }));
const pairs = [];
fresh(entry);
fresh('hand');
const ticksBefore = cpuTicks();
for (let i = 0; i < COLD_RUNS; i += 1) {
  const ours = fresh(entry);
  const hand = fresh('hand');
  pairs.push({ ours, hand });
}
const load = machineLoad(ticksBefore, cpuTicks());
rmSync(coldDir, { recursive: true, force: true });
const coldOf = (key) => ({
  ours: median(pairs.map((p) => p.ours[key])),
  hand: median(pairs.map((p) => p.hand[key])),
  ratio: median(pairs.map((p) => p.ours[key] / p.hand[key])),
});
const cold = { first: coldOf('first'), firstCpu: coldOf('firstCpu'), next: coldOf('next'), nextCpu: coldOf('nextCpu') };
console.log(`\nNode cold start, ${COLD_RUNS} pairs of fresh processes (medians; ratio = median of the pairs' ratios)`);
console.log(`  import + first verify   ours ${cold.first.ours.toFixed(2)} ms, by hand ${cold.first.hand.toFixed(2)} ms: ${cold.first.ratio.toFixed(2)}x`
  + `  (CPU ${cold.firstCpu.ours.toFixed(2)} vs ${cold.firstCpu.hand.toFixed(2)} ms: ${cold.firstCpu.ratio.toFixed(2)}x)`);
console.log(`  next 100 calls, mean    ours ${cold.next.ours.toFixed(1)} µs, by hand ${cold.next.hand.toFixed(1)} µs: ${cold.next.ratio.toFixed(2)}x`
  + `  (CPU ${cold.nextCpu.ours.toFixed(1)} vs ${cold.nextCpu.hand.toFixed(1)} µs: ${cold.nextCpu.ratio.toFixed(2)}x)`);
if (load) {
  console.log(`  meanwhile, of the machine's CPU time: ${load.others.toFixed(0)}% went to other work and ${load.steal.toFixed(0)}% to the host (steal)`);
}

/**
 * Linux: the machine's CPU time (all CPUs, in clock ticks) spent busy, taken by the host
 * (steal) and in all, and this process's own with its finished children's; null elsewhere.
 */
function cpuTicks() {
  try {
    // user nice system idle iowait irq softirq steal
    const t = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1, 9).map(Number);
    // After "pid (name) ": fields 3 onwards; utime, stime, cutime and cstime are fields 14 to 17.
    const own = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ').slice(11, 15).map(Number);
    const total = t.reduce((a, b) => a + b, 0);
    return { busy: total - t[3] - t[4] - t[7], steal: t[7], total, own: own.reduce((a, b) => a + b, 0) };
  } catch {
    return null;
  }
}

/** Percentages of the machine's CPU time between two `cpuTicks()`: other work's, the host's. */
function machineLoad(a, b) {
  if (!a || !b || b.total <= a.total) return null;
  const total = b.total - a.total;
  const others = Math.max(0, (b.busy - a.busy) - (b.own - a.own));
  return { others: (100 * others) / total, steal: (100 * (b.steal - a.steal)) / total };
}

// ---------------------------------------------------------------------------------------------
// 3. Sizes

const size = (file) => {
  const bytes = readFileSync(new URL(`../pkg/${file}`, import.meta.url));
  return { raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
};
const sizes = { verify: size('verify.wasm'), full: size('full.wasm') };
const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
  cwd: path.join(ROOT, 'pkg'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
}))[0];
console.log('\nSizes');
for (const [name, s] of Object.entries(sizes)) console.log(`  ${name}.wasm  ${s.raw} bytes, gzip -9 ${s.gz} bytes`);
console.log(`  tarball  ${packed.size} bytes packed, ${packed.unpackedSize} unpacked, ${packed.entryCount} files`);

// ---------------------------------------------------------------------------------------------
// 4. Cold start in workerd and Chromium

let workerd = null;
let chromium = null;
if (BROWSERS) {
  workerd = await workerdCold();
  chromium = await chromiumCold();
  console.log('\nCold start elsewhere (medians)');
  console.log(`  workerd: first request answered ${workerd.ours.toFixed(1)} ms after start (by hand on WebCrypto ${workerd.hand.toFixed(1)} ms): ${(workerd.ours / workerd.hand).toFixed(2)}x`);
  // The hand-written page has nothing to fetch: the ratio would be mostly the package's module
  // files arriving from a fresh browser's first requests, so the parts are shown instead.
  console.log(`  Chromium: import + init() + first verify ${chromium.ours.toFixed(1)} ms (import ${chromium.import.toFixed(1)}, init() ${chromium.init.toFixed(1)}, verify ${chromium.verify.toFixed(1)}); by hand on WebCrypto, which loads no file, ${chromium.hand.toFixed(1)} ms`);
}

/** A Worker verifying one request, from Miniflare's start to the answer; ours and by hand. */
async function workerdCold() {
  const { Miniflare } = await import('miniflare');
  const dir = mkdtempSync(path.join(tmpdir(), 'dms-bench-workerd-'));
  writeFileSync(path.join(dir, 'hand.js'), `export default { async fetch(request) {
    const body = await request.text();
    const p = JSON.parse(body);
    const canonical = JSON.stringify(p.messageEvent, (k, v) => (v === null ? undefined : v));
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(${JSON.stringify(SECRET)}), { name: 'HMAC', hash: 'SHA-1' }, false, ['verify']);
    const given = Uint8Array.from(atob(p.signatureText), (c) => c.charCodeAt(0));
    const ok = await crypto.subtle.verify('HMAC', key, given, new TextEncoder().encode(${JSON.stringify(URL_ + SECRET)} + canonical));
    return new Response(ok ? 'ok' : 'refused', { status: ok ? 200 : 401 });
  } };`);
  writeFileSync(path.join(dir, 'ours.js'), `import { verifyRequest, dmsResponse } from ${JSON.stringify(path.join(ROOT, 'pkg', 'workerd.js'))};
  export default { async fetch(request) {
    try { return dmsResponse(await verifyRequest(request, ${JSON.stringify(OPTIONS)})); } catch (err) { return dmsResponse(err); }
  } };`);
  const once = async (file) => {
    const t0 = performance.now();
    const mf = new Miniflare({
      modules: true, scriptPath: path.join(dir, file), modulesRoot: '/',
      modulesRules: [{ type: 'ESModule', include: ['**/*.js'] }, { type: 'CompiledWasm', include: ['**/*.wasm'] }],
      compatibilityDate: '2025-01-01',
    });
    const r = await mf.dispatchFetch('http://w.test/', { method: 'POST', headers: { 'DMS-Event': 'Message Hook' }, body: EXAMPLE });
    const took = performance.now() - t0;
    if (r.status !== 200) throw new Error(`${file}: ${r.status} ${await r.text()}`);
    await r.text();
    await mf.dispose();
    return took;
  };
  const ours = [];
  const hand = [];
  for (let i = 0; i < 5; i += 1) {
    ours.push(await once('ours.js'));
    hand.push(await once('hand.js'));
  }
  rmSync(dir, { recursive: true, force: true });
  return { ours: median(ours), hand: median(hand) };
}

/** A page that imports the package, awaits init() and verifies, in a fresh browser each time. */
async function chromiumCold() {
  const { chromium: browserType } = await import('playwright-core');
  const { createServer } = await import('node:http');
  const pages = {
    '/ours.html': `<script type="module">
      const t0 = performance.now();
      const api = await import('/pkg/web.js');
      const t1 = performance.now();
      await api.init();
      const t2 = performance.now();
      api.verify(${JSON.stringify(EXAMPLE)}, ${JSON.stringify(OPTIONS)});
      const t3 = performance.now();
      window.took = [t3 - t0, t1 - t0, t2 - t1, t3 - t2];</script>`,
    '/hand.html': `<script type="module">
      const t0 = performance.now();
      const p = JSON.parse(${JSON.stringify(EXAMPLE)});
      const canonical = JSON.stringify(p.messageEvent, (k, v) => (v === null ? undefined : v));
      const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(${JSON.stringify(SECRET)}), { name: 'HMAC', hash: 'SHA-1' }, false, ['verify']);
      const given = Uint8Array.from(atob(p.signatureText), (c) => c.charCodeAt(0));
      await crypto.subtle.verify('HMAC', key, given, new TextEncoder().encode(${JSON.stringify(URL_ + SECRET)} + canonical));
      window.took = [performance.now() - t0];</script>`,
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x').pathname;
    if (pages[url]) {
      return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">${pages[url]}`);
    }
    try {
      const file = readFileSync(path.join(ROOT, url));
      return res.writeHead(200, { 'content-type': url.endsWith('.wasm') ? 'application/wasm' : 'text/javascript' }).end(file);
    } catch {
      return res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const launch = () => browserType.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const once = async (file) => {
    const browser = await launch();
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(`${base}${file}`);
    await page.waitForFunction(() => window.took !== undefined, null, { timeout: 30_000 })
      .catch((err) => { throw new Error(`${file}: ${problems.join('; ') || err.message}`); });
    const took = await page.evaluate(() => window.took);
    await browser.close();
    return took;
  };
  const ours = [];
  const hand = [];
  for (let i = 0; i < 5; i += 1) {
    ours.push(await once('/ours.html'));
    hand.push(await once('/hand.html'));
  }
  server.close();
  const part = (k) => median(ours.map((t) => t[k]));
  return { ours: part(0), import: part(1), init: part(2), verify: part(3), hand: median(hand.map((t) => t[0])) };
}

// ---------------------------------------------------------------------------------------------
// The targets

const at = (label, form = 'string') => ratio(find(label, form, 'verify'), find(label, 'string', 'createHmac'));
const vsHand = (label) => Math.max(...['string', 'Uint8Array'].map((f) => ratio(find(label, f, 'verify'), find(label, f, 'by hand'))));
const rows = [
  ['verify, 525 B string, vs createHmac', at('525 B (DMS example)'), '≤ 1.2x', 1.2],
  ['verify, 16 KB string, vs createHmac', at('16 KB'), '≤ 2.0x', 2.0],
  ['verify, 256 KB string, vs createHmac', at('256 KB'), '≤ 2.0x', 2.0],
  ['verify vs by hand, 525 B (worst form)', vsHand('525 B (DMS example)'), '≤ 0.33x', 0.33],
  ['verify vs by hand, 16 KB (worst form)', vsHand('16 KB'), '≤ 0.33x', 0.33],
  ['verify vs by hand, 256 KB (worst form)', vsHand('256 KB'), '≤ 0.33x', 0.33],
  ['verify.wasm, gzip KB', sizes.verify.gz / 1000, '≤ 25', 25],
  ['all .wasm, gzip KB', (sizes.verify.gz + sizes.full.gz) / 1000, '≤ 60', 60],
  ['Node cold start vs by hand', cold.first.ratio, '≤ 1.5x', 1.5],
  ['next 100 calls vs by hand', cold.next.ratio, '≤ 1.5x', 1.5],
];
console.log('\nTargets');
for (const [name, value, target, limit] of rows) {
  console.log(`  ${pad(name, 40)}${lpad(value.toFixed(2), 8)}  ${pad(target, 8)} ${value <= limit ? 'met' : 'NOT met'}`);
}

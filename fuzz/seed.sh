#!/usr/bin/env bash
# Writes every body of the shared fastjson 1.2.83 vectors into fuzz/corpus/<target>/seed-<id>.
# The verify target reads its first byte as an options selector, so its seeds start with 0x00
# (signature required, one secret) and 0x03 (two secrets, signature optional).
set -euo pipefail
cd "$(dirname "$0")"
vectors=${1:-../tests/vectors/fastjson-1.2.83.jsonl}
node - "$vectors" <<'JS'
const fs = require('node:fs');
const [vectors] = process.argv.slice(2);
let n = 0;
for (const line of fs.readFileSync(vectors, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const v = JSON.parse(line);
  const body = v.body_b64 != null ? Buffer.from(v.body_b64, 'base64') : Buffer.from(v.body, 'utf8');
  const name = 'seed-' + String(v.id).replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 80);
  for (const t of ['canonicalize', 'parse']) {
    fs.mkdirSync(`corpus/${t}`, { recursive: true });
    fs.writeFileSync(`corpus/${t}/${name}`, body);
  }
  fs.mkdirSync('corpus/verify', { recursive: true });
  fs.writeFileSync(`corpus/verify/${name}`, Buffer.concat([Buffer.from([0]), body]));
  fs.writeFileSync(`corpus/verify/${name}-3`, Buffer.concat([Buffer.from([3]), body]));
  n++;
}
console.log(`seeded ${n} bodies`);
JS

// The page and the package's files as `listen` serves them: only files inside their folder, with
// their type, compressed (brotli or gzip, as the browser accepts) and revalidated by ETag. The
// compressed copies are made once per file version, off the main thread, and kept in memory.
import { createHash } from 'node:crypto';
import { existsSync, readFile, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const read = promisify(readFile);
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};
// Already compressed: sent as they are.
const COMPRESSED = new Set(['.png', '.ico']);
/** Files above this are not served (the package has none; it bounds the memory of the cache). */
const MAX_FILE_BYTES = 8 * 1048576;

/**
 * Resolves a URL path inside root, refusing anything outside it (.., encoded slashes,
 * symlinks that lead out, dot files, node_modules). Returns the file path or null.
 */
export function resolveInside(root, relPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(relPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s.startsWith('.') || s === 'node_modules')) return null;
  let realRoot;
  try {
    realRoot = realpathSync(root);
  } catch {
    return null;
  }
  let file = path.resolve(realRoot, ...segments);
  if (file !== realRoot && !file.startsWith(realRoot + path.sep)) return null;
  try {
    let st = statSync(file);
    if (st.isDirectory()) {
      file = path.join(file, 'index.html');
      st = statSync(file);
    }
    if (!st.isFile()) return null;
    const real = realpathSync(file);
    if (!real.startsWith(realRoot + path.sep)) return null;
    return CONTENT_TYPES[path.extname(real).toLowerCase()] ? real : null;
  } catch {
    return null;
  }
}

/** The encodings a request accepts, best first among br and gzip (q=0 excludes one). */
export function acceptedEncodings(header) {
  const q = new Map();
  for (const part of String(header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q=([0-9.]+)\s*$/.exec(p);
      if (m) weight = Number(m[1]);
    }
    q.set(name, weight);
  }
  const star = q.get('*') ?? 0;
  return ['br', 'gzip'].filter((e) => (q.get(e) ?? star) > 0);
}

export class StaticFiles {
  #cache = new Map(); // file -> Promise<{ mtimeMs, size, variants: { identity, br?, gzip? } }>

  /** @param {{ prefix: string, dir: string | null }[]} roots URL prefix -> folder, first match wins */
  constructor(roots) {
    this.roots = roots.filter((r) => r.dir && existsSync(r.dir));
  }

  /** The file a URL path names, or null. */
  find(pathname) {
    for (const { prefix, dir } of this.roots) {
      if (prefix === '') return resolveInside(dir, pathname);
      if (pathname === prefix || pathname.startsWith(`${prefix}/`)) {
        const rel = pathname.slice(prefix.length);
        return rel === '' || rel === '/' ? null : resolveInside(dir, rel);
      }
    }
    return null;
  }

  /** Serves `file` (from find()) on a GET or HEAD, with `headers` added. */
  async serve(req, res, file, headers = {}) {
    const ext = path.extname(file).toLowerCase();
    const entry = await this.#load(file, ext);
    if (!entry) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
      return;
    }
    const encoding = acceptedEncodings(req.headers['accept-encoding']).find((e) => entry.variants[e]) ?? 'identity';
    const { bytes, etag } = entry.variants[encoding];
    const common = {
      'content-type': CONTENT_TYPES[ext],
      // The files keep their names from one version to the next: revalidate each time (a 304
      // costs no body).
      'cache-control': 'no-cache',
      etag,
      vary: 'Accept-Encoding',
      'x-content-type-options': 'nosniff',
      ...headers,
    };
    if (encoding !== 'identity') common['content-encoding'] = encoding;
    const match = req.headers['if-none-match'];
    if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
      res.writeHead(304, common);
      res.end();
      return;
    }
    res.writeHead(200, { ...common, 'content-length': String(bytes.length) });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  }

  #load(file, ext) {
    let st;
    try {
      st = statSync(file);
    } catch {
      return Promise.resolve(null);
    }
    if (st.size > MAX_FILE_BYTES) return Promise.resolve(null);
    const cached = this.#cache.get(file);
    if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached.entry;
    const entry = (async () => {
      const raw = await read(file);
      const tag = createHash('sha256').update(raw).digest('base64url').slice(0, 22);
      const variants = { identity: { bytes: raw, etag: `"${tag}"` } };
      if (!COMPRESSED.has(ext) && raw.length > 256) {
        const [br, gz] = await Promise.all([
          brotli(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
          gzip(raw, { level: 9 }),
        ]);
        if (br.length < raw.length) variants.br = { bytes: br, etag: `"${tag}-br"` };
        if (gz.length < raw.length) variants.gzip = { bytes: gz, etag: `"${tag}-gz"` };
      }
      return { variants };
    })().catch(() => null);
    this.#cache.set(file, { mtimeMs: st.mtimeMs, size: st.size, entry });
    return entry;
  }
}

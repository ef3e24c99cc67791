// How the adapter tests meet the package as a user does: pkg/ is packed with `npm pack` and the
// tarball unpacked into node_modules/dms-webhook of a small project under test-output/. The
// project sits inside the repository, so the frameworks it uses (hono, fastify, next, react)
// resolve from the repository's node_modules as they would from its own.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const BIN = (name) => path.join(ROOT, 'node_modules', '.bin', name);
const OUT = path.join(ROOT, 'test-output', 'adapters');

let tarball = null;

/** The package as `npm pack` makes it (once per process). */
export function packedPackage() {
  if (tarball === null) {
    const dir = path.join(OUT, `pack-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const out = execFileSync('npm', ['pack', path.join(ROOT, 'pkg'), '--pack-destination', dir, '--json'], {
      encoding: 'utf8',
      env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    tarball = path.join(dir, JSON.parse(out)[0].filename);
  }
  return tarball;
}

/**
 * A fresh project `name` with the packed package installed, and `files` (names of files beside
 * this helper) copied into it. `remove()` deletes it.
 */
export function consumer(name, files = []) {
  const dir = path.join(OUT, `${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  const installed = path.join(dir, 'node_modules', 'dms-webhook');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', packedPackage(), '-C', installed, '--strip-components=1']);
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: `consumer-${name}`, private: true, type: 'module' }, null, 2)}\n`);
  for (const file of files) cpSync(path.join(HERE, file), path.join(dir, path.basename(file)));
  return {
    dir,
    file: (f) => path.join(dir, f),
    /** Imports a module of the project, so that its bare imports resolve as the project's own. */
    import: (f) => import(pathToFileURL(path.join(dir, f)).href),
    remove() {
      rmSync(dir, { recursive: true, force: true });
      if (tarball !== null) rmSync(path.dirname(tarball), { recursive: true, force: true });
      tarball = null;
    },
  };
}

// Where the matrix finds its tools. Two sets, both installed by scripts/setup.sh from their lock
// files: the repository's own devDependencies (esbuild, wrangler, Miniflare, Deno, Bun,
// playwright-core) and this folder's (the bundlers, Next.js, edge-runtime, TypeScript, attw,
// publint and the Node binaries of other versions). A tool that is missing is a MissingTool
// error: a failure under CI, a loud skip elsewhere.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = path.resolve(HERE, '..', '..');

const SETS = { repo: path.join(REPO, 'node_modules'), consumers: path.join(HERE, 'node_modules') };

export class MissingTool extends Error {}

/** require() from the repository's own devDependencies (playwright-core, miniflare, esbuild). */
export const repoRequire = createRequire(path.join(REPO, 'package.json'));
/** require() from this folder's tool set (edge-runtime, publint, ...). */
export const consumersRequire = createRequire(path.join(HERE, 'package.json'));

function packageDir(set, name) {
  const dir = path.join(SETS[set], name);
  if (!existsSync(path.join(dir, 'package.json'))) {
    throw new MissingTool(`${name} is not installed in ${path.relative(REPO, SETS[set])} (run bash scripts/setup.sh)`);
  }
  return dir;
}

/** The file of a package's `bin` entry, e.g. bin('consumers', 'next', 'next'). */
export function bin(set, name, command = name.split('/').pop()) {
  const dir = packageDir(set, name);
  const { bin: bins } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const file = typeof bins === 'string' ? bins : bins?.[command];
  if (!file) throw new MissingTool(`${name} has no "${command}" command`);
  return path.join(dir, file);
}

/** A JavaScript command run by this process's Node: `[node, [file, ...args]]`, run()'s first two arguments. */
export function nodeTool(set, name, command, args = []) {
  return [process.execPath, [bin(set, name, command), ...args]];
}

/** A native binary inside a package (Deno, Bun), checked to exist. */
export function nativeTool(set, name, file) {
  const full = path.join(packageDir(set, name), file);
  if (!existsSync(full)) throw new MissingTool(`${path.relative(REPO, full)} is missing (run bash scripts/setup.sh)`);
  return full;
}

/** The Node binary of a version in this folder's set (`node-18`, `node-22.12`, ...). */
export function nodeBinary(alias) {
  return nativeTool('consumers', alias, 'bin/node');
}

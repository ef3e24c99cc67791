// The consumers' working copies: the package packed once (`npm pack pkg/`), and each consumer
// project copied with the shared files into tests/consumers/.work/<project>/ (ignored by git),
// with the tarball installed into it the way a user installs it. Caches the tools keep there
// (.next/cache, Parcel's, Deno's) survive between runs; everything else is laid anew.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { run } from './exec.mjs';
import { HERE, REPO } from './tools.mjs';

export const WORK = path.join(HERE, '.work');

/** Kept from one run to the next: installed packages are replaced, caches are kept. */
const KEEP = new Set(['node_modules', '.next', '.parcel-cache', '.deno']);

/** Packs pkg/ into .work/ and resolves to the tarball's path and its file list. */
export async function pack() {
  mkdirSync(WORK, { recursive: true });
  for (const old of readdirSync(WORK).filter((f) => f.endsWith('.tgz'))) rmSync(path.join(WORK, old));
  const { stdout } = await run('npm', ['pack', path.join(REPO, 'pkg'), '--pack-destination', WORK, '--json', '--silent'], { cwd: WORK });
  const [info] = JSON.parse(stdout);
  return { tarball: path.join(WORK, info.filename), size: info.size, files: info.files.map((f) => f.path) };
}

/**
 * Lays out .work/<project>/ from shared/, the projects it borrows files from and
 * tests/consumers/<project>/, installs the tarball into it (npm, without saving, without a
 * lock file) and resolves to its path.
 */
export async function prepare(project, tarball, borrowed = []) {
  const dir = path.join(WORK, project);
  mkdirSync(dir, { recursive: true });
  for (const entry of readdirSync(dir)) {
    if (!KEEP.has(entry)) rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
  cpSync(path.join(HERE, 'shared'), dir, { recursive: true });
  for (const from of [...borrowed, project]) {
    const source = path.join(HERE, from);
    if (existsSync(source)) cpSync(source, dir, { recursive: true });
  }
  // Without its own package.json, npm would install into the tool set above it.
  if (!existsSync(path.join(dir, 'package.json'))) throw new Error(`${project} has no package.json`);
  // npm would keep an installed copy of the same version: the tarball's content may be new.
  rmSync(path.join(dir, 'node_modules', 'dms-webhook'), { recursive: true, force: true });
  await run('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--offline', tarball], { cwd: dir });
  return dir;
}

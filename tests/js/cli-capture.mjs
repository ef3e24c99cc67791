// In-process runs of the dms-webhook commands: what they write to standard output and standard
// error (the streams are swapped for recorders for the test, then put back; node:test keeps its
// own reference to the real stdout, so its report is not caught), and the environment variables
// they read, set or cleared for one test.
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { UsageError } from '../../pkg/cli/usage.js';

const STREAMS = ['stdout', 'stderr'];

/** Replaces process.stdout and process.stderr until the test ends (or `restore()`). */
export function captureOutput(t) {
  const originals = Object.fromEntries(STREAMS.map((name) => [name, Object.getOwnPropertyDescriptor(process, name)]));
  const text = { stdout: '', stderr: '' };
  for (const name of STREAMS) {
    const fake = { isTTY: false, write(chunk) { text[name] += String(chunk); return true; } };
    Object.defineProperty(process, name, { value: fake, configurable: true, enumerable: true });
  }
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    for (const name of STREAMS) Object.defineProperty(process, name, originals[name]);
  };
  t.after(restore);
  return {
    get stdout() { return text.stdout; },
    get stderr() { return text.stderr; },
    restore,
  };
}

/** Sets (string) or clears (undefined) environment variables until the test ends. */
export function withEnv(t, vars) {
  for (const [name, value] of Object.entries(vars)) {
    const had = Object.prototype.hasOwnProperty.call(process.env, name);
    const before = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
    t.after(() => {
      if (had) process.env[name] = before;
      else delete process.env[name];
    });
  }
}

/** Replaces process.stdin until the test ends with a pipe that gives `text` and ends. */
export function pipeStdin(t, text) {
  const stdin = new PassThrough();
  stdin.isTTY = false;
  const original = Object.getOwnPropertyDescriptor(process, 'stdin');
  Object.defineProperty(process, 'stdin', { value: stdin, configurable: true, enumerable: true });
  t.after(() => Object.defineProperty(process, 'stdin', original));
  setImmediate(() => stdin.end(text));
  return stdin;
}

/** Runs `command(args)` (send, verifyCommand) with its output captured and no secret in the environment. */
export async function runCommand(t, command, args, env = {}) {
  withEnv(t, { DMS_WEBHOOK_SECRET: undefined, ...env });
  const out = captureOutput(t);
  try {
    const code = await command(args);
    return { code, stdout: out.stdout, stderr: out.stderr };
  } finally {
    out.restore();
  }
}

/** `command(args)` refuses with a usage error (`message`: text or pattern), having printed nothing. */
export async function refusedCommand(t, command, args, message, env) {
  withEnv(t, { DMS_WEBHOOK_SECRET: undefined, ...env });
  const out = captureOutput(t);
  try {
    await assert.rejects(command(args), (err) => {
      assert.ok(err instanceof UsageError, `${args.join(' ')}: ${err.stack}`);
      if (message instanceof RegExp) assert.match(err.message, message, args.join(' '));
      else assert.equal(err.message, message, args.join(' '));
      return true;
    });
  } finally {
    out.restore();
  }
  assert.equal(out.stdout, '', `${args.join(' ')} printed nothing`);
}

/** Writes `text` to `dir/name` with the file mode given (a secret file: 0600 unless said). */
export function writeModeFile(dir, name, text, mode = 0o600) {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

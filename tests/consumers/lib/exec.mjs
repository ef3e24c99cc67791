// Runs a command for a consumer: output captured, a time limit, and an error that carries the
// command's last lines when it fails.
import { spawn } from 'node:child_process';
import net from 'node:net';

/** Servers started by start() and not stopped yet: ended if the runner itself exits early. */
const running = new Set();
process.on('exit', () => {
  for (const pid of running) {
    try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => process.exit(130));
}

/** A TCP port that was free a moment ago, for a server the runner starts. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Environment for every tool: no colours, no telemetry, no prompts (undefined: unset). */
export const QUIET_ENV = {
  NO_COLOR: '1',
  // Deno takes any FORCE_COLOR, even 0, as "colours on".
  FORCE_COLOR: undefined,
  NEXT_TELEMETRY_DISABLED: '1',
  WRANGLER_SEND_METRICS: 'false',
  DENO_NO_PROMPT: '1',
  DENO_NO_UPDATE_CHECK: '1',
  BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0',
  DO_NOT_TRACK: '1',
};

export class CommandError extends Error {}

function environment(extra) {
  const env = { ...process.env, ...QUIET_ENV, ...extra };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return env;
}

/** The last `n` lines of a command's output, for an error message. */
export function tail(text, n = 25) {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

/**
 * Runs `command args` in `cwd`; resolves to `{ stdout, stderr, output }` when it exits 0, rejects
 * with a CommandError (exit status and output tail) otherwise or after `timeoutMs`.
 */
export function run(command, args, { cwd, env = {}, timeoutMs = 300_000, allowFailure = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: environment(env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.on('data', (d) => { stdout += d; output += d; });
    child.stderr.on('data', (d) => { stderr += d; output += d; });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new CommandError(`${command}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code, stdout, stderr, output };
      if ((code === 0 && !timedOut) || (allowFailure && !timedOut)) return resolve(result);
      const why = timedOut ? `timed out after ${timeoutMs / 1000} s` : `exit ${code ?? signal}`;
      reject(new CommandError(`${[command.split('/').pop(), ...args].join(' ')}: ${why}\n${tail(output)}`));
    });
  });
}

/**
 * Starts a long-running command (a server) and resolves once `ready` matches its output; the
 * result's stop() ends it (and its children).
 */
export function start(command, args, { cwd, env = {}, ready, timeoutMs = 60_000 }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: environment(env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    let settled = false;
    running.add(child.pid);
    child.on('close', () => running.delete(child.pid));
    const stop = () => new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('close', done);
      try { process.kill(-child.pid, 'SIGTERM'); } catch { done(); }
      setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 3000).unref();
    });
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      stop();
      reject(new CommandError(`${command.split('/').pop()} did not start within ${timeoutMs / 1000} s\n${tail(output)}`));
    }, timeoutMs);
    const onData = (d) => {
      output += d;
      if (!settled && ready.test(output)) {
        settled = true;
        clearTimeout(timer);
        resolve({ stop, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new CommandError(`${command.split('/').pop()} exited (${code}) before it was ready\n${tail(output)}`));
    });
  });
}

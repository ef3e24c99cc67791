// Runs the dms-webhook command (pkg/cli.js) in processes of its own, as a user does: commands
// that run to their end, and long-running ones (listen) that are read as they print and stopped
// with SIGTERM. The CLI tests share it; `stopAll()` after each file ends what is still running.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = path.join(ROOT, 'pkg', 'cli.js');
const children = new Set();

/** Stops every process started here that is still running. */
export function stopAll() {
  return Promise.all([...children].map((child) => stop(child)));
}

/** Starts a long-running command; `waitFor(regex)` resolves with the first match in stdout. */
export function start(args, { cwd = ROOT, env = {} } = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  const waiters = [];
  child.stdout.setEncoding('utf8').on('data', (c) => {
    stdout += c;
    for (const w of [...waiters]) w();
  });
  child.stderr.setEncoding('utf8').on('data', (c) => { stderr += c; });
  child.on('exit', () => { for (const w of [...waiters]) w(); });
  return {
    child,
    get stdout() { return stdout; },
    get stderr() { return stderr; },
    waitFor(regex, ms = 10000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(check), 1);
          reject(new Error(`timed out waiting for ${regex}\nstdout: ${stdout}\nstderr: ${stderr}`));
        }, ms);
        function check() {
          const m = stdout.match(regex);
          if (m || child.exitCode !== null) {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(check), 1);
            if (m) resolve(m);
            else reject(new Error(`exited ${child.exitCode} before ${regex}\nstdout: ${stdout}\nstderr: ${stderr}`));
          }
        }
        waiters.push(check);
        check();
      });
    },
  };
}

/** Stops a process with SIGTERM (SIGKILL after 5 s); resolves to its exit code. */
export async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) {
    children.delete(child);
    return child.exitCode;
  }
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  const [code] = await exited;
  clearTimeout(timer);
  children.delete(child);
  return code;
}

/** Runs a command to its end (at most 30 s). */
export function run(args, { input, cwd = ROOT, command = CLI, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [command, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => { stdout += c; });
    child.stderr.setEncoding('utf8').on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out: ${args.join(' ')}\n${stdout}\n${stderr}`));
    }, 30000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** `listen --port 0` with `args`, once it printed its banner: its address and dashboard token. */
export async function startListen(args) {
  const proc = start(['listen', '--port', '0', ...args]);
  const [, base] = await proc.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+\/)/);
  await proc.waitFor(/Deliveries \(Ctrl-C to stop\):\n/);
  const token = /Page\s+\S+\?token=(\S+)/.exec(proc.stdout)?.[1];
  return { ...proc, base, token, auth: { authorization: `Bearer ${token}` } };
}

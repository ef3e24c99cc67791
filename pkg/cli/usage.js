// Command-line parsing shared by the commands: usage errors (exit status 2), options, numbers,
// durations, and how to name this command in printed examples.
import path from 'node:path';
import { parseArgs } from 'node:util';

/** A mistake in how the command was called: printed with a pointer to --help, exit status 2. */
export class UsageError extends Error {}

export function parseCommandArgs(argv, options, allowPositionals = false) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(err.message);
  }
}

export function parseInteger(text, name, min, max) {
  if (!/^\d+$/.test(String(text))) throw new UsageError(`${name} must be a whole number`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${name} must be between ${min} and ${max}`);
  return n;
}

const UNITS = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 };

/** A duration such as 90s, 15m, 1h or 2d (0 alone is allowed); "off" gives null. */
export function parseDuration(text, name) {
  const t = String(text).trim().toLowerCase();
  if (t === 'off') return null;
  if (t === '0') return 0;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(t);
  if (!m) throw new UsageError(`${name} must be a duration like 90s, 15m, 1h or 2d, or "off"`);
  const ms = Math.round(Number(m[1]) * UNITS[m[2]]);
  if (!Number.isSafeInteger(ms)) throw new UsageError(`${name} is too long`);
  return ms;
}

/** A duration in the shortest exact unit: 3600000 -> "1h". */
export function formatDuration(ms) {
  for (const [unit, size] of [['d', 86400000], ['h', 3600000], ['m', 60000], ['s', 1000]]) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

export function shellQuote(text) {
  if (/^[A-Za-z0-9_\-.,:/@%+=]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** How to run this command again, as the user started it (for the examples it prints). */
export function commandName() {
  const script = process.argv[1] ? path.basename(process.argv[1]) : 'dms-webhook';
  if (/^cli\.m?js$/.test(script)) {
    const rel = path.relative(process.cwd(), process.argv[1]) || script;
    return `node ${shellQuote(rel)}`;
  }
  return process.env.npm_command === 'exec' ? 'npx dms-webhook' : 'dms-webhook';
}

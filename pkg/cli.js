#!/usr/bin/env node
// The `dms-webhook` command: a verifying receiver with a private dashboard (listen), a sender that
// behaves like the DMS console's Test button (send), and a verifier for saved bodies (verify).
// Each command lives in cli/; this file picks one and turns its outcome into an exit status.
import { readFileSync } from 'node:fs';
import { HELP } from './cli/help.js';
import { listen } from './cli/listen.js';
import { send } from './cli/send.js';
import { oneLine } from './cli/terminal.js';
import { UsageError } from './cli/usage.js';
import { verifyCommand } from './cli/verify.js';

function version() {
  try {
    return JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

async function main(argv) {
  const [command, ...rest] = argv;
  switch (command) {
    case 'listen': return listen(rest);
    case 'send': return send(rest);
    case 'verify': return verifyCommand(rest);
    case 'help':
      process.stdout.write(HELP[rest[0]] ?? HELP.main);
      return 0;
    case '-h':
    case '--help':
      process.stdout.write(HELP.main);
      return 0;
    case '-v':
    case '--version':
      process.stdout.write(`${version()}\n`);
      return 0;
    case undefined:
      process.stderr.write(HELP.main);
      return 2;
    default:
      throw new UsageError(`unknown command "${oneLine(command, 40)}" (listen, send or verify)`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // listen leaves nothing behind once stopped; exit now rather than wait for stray timers.
    if (process.argv[2] === 'listen') process.exit(code);
  },
  (err) => {
    if (err instanceof UsageError) {
      process.stderr.write(`dms-webhook: ${oneLine(err.message, 500)}\nRun "dms-webhook --help" for usage.\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`dms-webhook: ${oneLine(err && err.message ? err.message : err, 500)}\n`);
      process.exitCode = err && err.exitCode ? err.exitCode : 1;
    }
  },
);

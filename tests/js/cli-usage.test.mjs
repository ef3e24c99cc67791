// The command line's parsing (pkg/cli/usage.js), in process: the exact message of each usage
// error, the bounds of numbers and durations, and how the command names itself in examples.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  UsageError, commandName, formatDuration, parseCommandArgs, parseDuration, parseInteger, shellQuote,
} from '../../pkg/cli/usage.js';

/** The UsageError `fn` throws, checked for its class and exact message. */
function usageError(fn, message) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof UsageError, `a UsageError, not ${err && err.constructor.name}`);
    assert.equal(err.message, message);
    return true;
  });
}

/** The message node:util's parseArgs gives for the same mistake (its wording is Node's). */
function nodeMessage(config) {
  try {
    parseArgs(config);
  } catch (err) {
    return err.message;
  }
  throw new Error('parseArgs accepted it');
}

test('parseCommandArgs: options, --x=y and -h, strict about unknown flags and positionals', () => {
  const options = { port: { type: 'string', default: '8000' }, secret: { type: 'string', multiple: true } };
  assert.deepEqual({ ...parseCommandArgs([], options).values }, { port: '8000' });
  const { values } = parseCommandArgs(['--port=9000', '--secret', 'a', '--secret=b', '-h'], options);
  assert.deepEqual({ ...values }, { port: '9000', secret: ['a', 'b'], help: true });
  assert.equal(parseCommandArgs(['--help'], {}).values.help, true);
  assert.deepEqual(parseCommandArgs(['x', '--port', '1'], options, true).positionals, ['x']);
  const strict = { options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true };
  usageError(() => parseCommandArgs(['--nope'], options),
    nodeMessage({ ...strict, args: ['--nope'], allowPositionals: false }));
  assert.match(nodeMessage({ ...strict, args: ['--nope'] }), /--nope/);
  usageError(() => parseCommandArgs(['stray'], options),
    nodeMessage({ ...strict, args: ['stray'], allowPositionals: false }));
  usageError(() => parseCommandArgs(['--port'], options),
    nodeMessage({ ...strict, args: ['--port'], allowPositionals: false }));
  usageError(() => parseCommandArgs(['--help=yes'], options),
    nodeMessage({ ...strict, args: ['--help=yes'], allowPositionals: false }));
});

test('parseInteger: digits only, bounds inclusive, each mistake with its message', () => {
  assert.equal(parseInteger('0', '--port', 0, 65535), 0);
  assert.equal(parseInteger('65535', '--port', 0, 65535), 65535);
  assert.equal(parseInteger(7, '--n', 1, 10), 7);
  assert.equal(parseInteger('007', '--n', 1, 10), 7);
  for (const bad of ['', '-1', '1.5', '1e3', ' 1', '1 ', '0x10', 'ten', '+1']) {
    usageError(() => parseInteger(bad, '--port', 0, 65535), '--port must be a whole number');
  }
  usageError(() => parseInteger('65536', '--port', 0, 65535), '--port must be between 0 and 65535');
  usageError(() => parseInteger('0', '--timeout', 1, 3600), '--timeout must be between 1 and 3600');
  usageError(() => parseInteger('3601', '--timeout', 1, 3600), '--timeout must be between 1 and 3600');
});

test('parseDuration: units, "off", 0, fractions, and the two messages', () => {
  assert.equal(parseDuration('off', '--max-age'), null);
  assert.equal(parseDuration(' OFF ', '--max-age'), null);
  assert.equal(parseDuration('0', '--max-age'), 0);
  assert.equal(parseDuration('250ms', '--max-age'), 250);
  assert.equal(parseDuration('90s', '--max-age'), 90000);
  assert.equal(parseDuration('15m', '--max-age'), 900000);
  assert.equal(parseDuration('1H', '--max-age'), 3600000);
  assert.equal(parseDuration('1.5h', '--max-age'), 5400000);
  assert.equal(parseDuration('2d', '--max-age'), 172800000);
  assert.equal(parseDuration('0.0004s', '--max-age'), 0);
  const shape = '--max-age must be a duration like 90s, 15m, 1h or 2d, or "off"';
  for (const bad of ['', '10', 's', '-1s', '1w', '1.h', '.5h', '1 h', '1hh', 'on', '00']) {
    usageError(() => parseDuration(bad, '--max-age'), shape);
  }
  usageError(() => parseDuration('999999999999d', '--max-age'), '--max-age is too long');
  assert.equal(parseDuration('104249991d', '--max-age'), 104249991 * 86400000);
});

test('formatDuration: the shortest exact unit', () => {
  assert.equal(formatDuration(172800000), '2d');
  assert.equal(formatDuration(86400000), '1d');
  assert.equal(formatDuration(3600000), '1h');
  assert.equal(formatDuration(90000000), '25h');
  assert.equal(formatDuration(5400000), '90m');
  assert.equal(formatDuration(60000), '1m');
  assert.equal(formatDuration(90000), '90s');
  assert.equal(formatDuration(1000), '1s');
  assert.equal(formatDuration(1500), '1500ms');
  assert.equal(formatDuration(999), '999ms');
  assert.equal(formatDuration(0), '0ms');
});

test('shellQuote: plain words as they are, anything else in single quotes', () => {
  assert.equal(shellQuote('/tmp/dms-webhook-x/secret'), '/tmp/dms-webhook-x/secret');
  assert.equal(shellQuote('http://127.0.0.1:8000/a/b=c%20d@e,f+g'), 'http://127.0.0.1:8000/a/b=c%20d@e,f+g');
  assert.equal(shellQuote('http://h/a?b=c'), "'http://h/a?b=c'");
  assert.equal(shellQuote('a b'), "'a b'");
  assert.equal(shellQuote(''), "''");
  assert.equal(shellQuote("it's"), "'it'\\''s'");
  assert.equal(shellQuote('$(rm -rf ~)'), "'$(rm -rf ~)'");
  assert.equal(shellQuote('a&b'), "'a&b'");
});

test('commandName: node <script> when run as cli.js, npx under npm exec, else dms-webhook', (t) => {
  const argv1 = process.argv[1];
  const npm = process.env.npm_command;
  t.after(() => {
    process.argv[1] = argv1;
    if (npm === undefined) delete process.env.npm_command;
    else process.env.npm_command = npm;
  });
  delete process.env.npm_command;
  process.argv[1] = path.join(process.cwd(), 'pkg', 'cli.js');
  assert.equal(commandName(), `node ${path.join('pkg', 'cli.js')}`);
  process.argv[1] = path.join(process.cwd(), 'my dir', 'cli.mjs');
  assert.equal(commandName(), `node '${path.join('my dir', 'cli.mjs')}'`);
  process.argv[1] = '/usr/local/bin/dms-webhook';
  assert.equal(commandName(), 'dms-webhook');
  process.argv[1] = '/usr/local/lib/x/mycli.js';
  assert.equal(commandName(), 'dms-webhook');
  process.argv[1] = '/usr/local/lib/x/cli.js.orig';
  assert.equal(commandName(), 'dms-webhook');
  process.env.npm_command = 'exec';
  assert.equal(commandName(), 'npx dms-webhook');
  process.argv[1] = path.join(process.cwd(), 'cli.js');
  assert.equal(commandName(), 'node cli.js');
  process.env.npm_command = 'run-script';
  process.argv[1] = '/usr/local/bin/dms-webhook';
  assert.equal(commandName(), 'dms-webhook');
  process.argv[1] = undefined;
  assert.equal(commandName(), 'dms-webhook');
});

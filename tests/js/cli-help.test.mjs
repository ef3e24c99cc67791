// The help of each command (pkg/cli/help.js): its usage line, every option the command accepts
// described, the exit statuses stated, and lines that fit a terminal. The commands' own tests
// check that --help prints these texts; this checks what the texts say.
import test from 'node:test';
import assert from 'node:assert/strict';
import { HELP } from '../../pkg/cli/help.js';

const COMMANDS = {
  main: {
    usage: 'Usage: dms-webhook <command> [options]',
    options: ['-h, --help', '-v, --version'],
    words: ['listen', 'send', 'verify'],
  },
  listen: {
    usage: 'Usage: dms-webhook listen [--port 8000] [--host 127.0.0.1] [--url URL] [--secret-file FILE]',
    options: ['--port', '--host', '--url', '--secret-file', '--secret', '--dashboard-token-file',
      '--allowed-host', '--max-age', '--allow-unsigned', '--max-body-bytes', '-h, --help'],
    words: ['DMS_WEBHOOK_SECRET', 'DMS_WEBHOOK_URL', 'DMS_WEBHOOK_DASHBOARD_TOKEN', '--dashboard-token T'],
  },
  send: {
    usage: 'Usage: dms-webhook send URL [--secret-file FILE] [--configured-url U] [--event FILE]',
    options: ['--secret-file', '--secret', '--configured-url', '--event', '--unsigned', '--tamper', '--timeout', '-h, --help'],
    words: ['DMS_WEBHOOK_SECRET', 'DMS-Event: Message Hook'],
  },
  verify: {
    usage: 'Usage: dms-webhook verify --url U [--secret-file FILE] [FILE|-]',
    options: ['--url', '--secret-file', '--secret', '--allow-unsigned', '-h, --help'],
    words: ['DMS_WEBHOOK_SECRET'],
  },
};

test('there is a help text for the program and for each command, and no other', () => {
  assert.deepEqual(Object.keys(HELP).sort(), Object.keys(COMMANDS).sort());
});

for (const [name, want] of Object.entries(COMMANDS)) {
  test(`the help of ${name}: usage line, every option, exit statuses, 100 columns at most`, () => {
    const text = HELP[name];
    assert.equal(typeof text, 'string');
    const lines = text.split('\n');
    assert.equal(lines[0], want.usage);
    assert.equal(lines[1], '');
    assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'), 'one final newline');
    // Each option starts a line of the options list (after two spaces).
    for (const option of want.options) {
      assert.ok(lines.some((l) => l.startsWith(`  ${option} `) || l === `  ${option}`), `${name}: ${option} described`);
    }
    for (const word of want.words) assert.ok(text.includes(word), `${name}: mentions ${word}`);
    assert.match(text, /\nExit status: 0 [^\n]+/);
    assert.match(text, /2 usage error/);
    for (const line of lines) assert.ok([...line].length <= 100, `${name}: ${line}`);
  });
}

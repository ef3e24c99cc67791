// `dms-webhook listen`: reads its options (credentials from a file or the environment), starts
// the listener, prints how to reach it (never the signing secret), and stops gracefully on
// SIGINT or SIGTERM.
import { DmsWebhookError, verify } from 'dms-webhook';
import { DEFAULT_MAX_AGE_MS } from '../receiver/replay-guard.js';
import { HELP } from './help.js';
import { makeSecret, makeToken, readCredential, redactUrl, saveGeneratedSecret } from './credentials.js';
import { createListener } from './listener.js';
import {
  UsageError, commandName, formatDuration, parseCommandArgs, parseDuration, parseInteger, shellQuote,
} from './usage.js';

/**
 * Whether the URL may hold something secret (user, password, query), so that the send command
 * shown must not repeat it. A URL that cannot be read (a bad port, say) is shown as "(not a URL)"
 * by redactUrl, and what in it is secret cannot be told: it is not repeated either.
 */
function credentialsOf(url) {
  try {
    const u = new URL(url);
    return Boolean(u.username || u.password || u.search);
  } catch {
    return true;
  }
}

export async function listen(argv) {
  const { values } = parseCommandArgs(argv, {
    port: { type: 'string', default: '8000' },
    host: { type: 'string', default: '127.0.0.1' },
    url: { type: 'string' },
    secret: { type: 'string', multiple: true },
    'secret-file': { type: 'string' },
    'dashboard-token': { type: 'string' },
    'dashboard-token-file': { type: 'string' },
    'allowed-host': { type: 'string', multiple: true },
    'max-age': { type: 'string' },
    'allow-unsigned': { type: 'boolean', default: false },
    'max-body-bytes': { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(HELP.listen);
    return 0;
  }
  const port = parseInteger(values.port, '--port', 0, 65535);
  const maxBodyBytes = values['max-body-bytes'] === undefined
    ? 1048576 : parseInteger(values['max-body-bytes'], '--max-body-bytes', 1, 2 ** 31);
  const windowMs = values['max-age'] === undefined ? DEFAULT_MAX_AGE_MS : parseDuration(values['max-age'], '--max-age');
  const secret = readCredential({
    flag: values.secret ?? [], file: values['secret-file'], envName: 'DMS_WEBHOOK_SECRET',
    what: 'secret', flagName: '--secret', fileFlag: '--secret-file',
  });
  const token = readCredential({
    flag: values['dashboard-token'] === undefined ? [] : [values['dashboard-token']],
    file: values['dashboard-token-file'], envName: 'DMS_WEBHOOK_DASHBOARD_TOKEN',
    what: 'dashboard token', flagName: '--dashboard-token', fileFlag: '--dashboard-token-file',
  });
  if (token.values.length > 1) throw new UsageError('give one dashboard token');
  if (token.values[0] !== undefined && token.values[0].length < 16) {
    throw new UsageError('the dashboard token must be at least 16 characters long');
  }
  const url = values.url ?? (process.env.DMS_WEBHOOK_URL || undefined);
  if (url === '') throw new UsageError('--url must not be empty');
  const generated = secret.values.length === 0;
  const secrets = generated ? [makeSecret()] : secret.values;
  const dashboardToken = token.values[0] ?? makeToken();
  try {
    // Refuse options the verifier would refuse, before listening.
    verify('{"messageEvent":{}}', { url: url ?? 'http://127.0.0.1/', secret: secrets, requireSignature: false, maxBodyBytes });
  } catch (err) {
    if (err instanceof DmsWebhookError && err.code === 'INVALID_OPTIONS') throw new UsageError(err.message);
  }
  for (const w of [secret.warning, token.warning]) if (w) process.stderr.write(`dms-webhook: warning: ${w}\n`);

  const listener = createListener({
    url,
    secrets,
    requireSignature: !values['allow-unsigned'],
    maxBodyBytes,
    windowMs,
    token: dashboardToken,
    allowedHosts: values['allowed-host'] ?? [],
  });
  let where;
  try {
    where = await listener.listen(port, values.host);
  } catch (err) {
    const why = err.code === 'EADDRINUSE' ? `port ${port} is in use (try --port 0 for a free one)` : err.message;
    throw Object.assign(new Error(`cannot listen on ${values.host}:${port}: ${why}`), { exitCode: 1 });
  }
  const secretFile = generated ? saveGeneratedSecret(secrets[0]) : null;

  const cmd = commandName();
  const out = [];
  out.push(`dms-webhook listening on ${where.local}`);
  out.push('');
  out.push(`  Webhook URL  ${redactUrl(where.url)}${values.url || process.env.DMS_WEBHOOK_URL ? '' : '  (pass --url to use the one configured in DMS)'}`);
  if (generated) {
    out.push(`  Secret       made up for this run, in ${secretFile}  (set it as the password in DMS, or pass --secret-file)`);
  } else {
    out.push(`  Secrets      ${secrets.length} configured (from ${{ flag: '--secret', file: 'the --secret-file', env: 'DMS_WEBHOOK_SECRET' }[secret.from]})`);
  }
  out.push(`  Signatures   ${values['allow-unsigned'] ? 'checked when present; unsigned notifications accepted' : 'required'}`);
  out.push(windowMs === null
    ? '  Replays      any eventTime accepted (--max-age off); repeats of a delivery not handled twice'
    : `  Replays      eventTime must be within ${formatDuration(windowMs)} of now; repeats within that window are not handled twice`);
  const page = token.from === null ? `${where.local}?token=${dashboardToken}` : where.local;
  out.push(`  Page         ${page}`);
  out.push(`               (private: ${token.from === null ? 'this address carries the dashboard token' : 'open it with ?token=<your dashboard token>'}; deliveries appear as they arrive)`);
  out.push('');
  out.push('Send a test notification like the DMS console\'s Test button:');
  const secretArg = generated ? `--secret-file ${shellQuote(secretFile)}`
    : secret.from === 'file' ? `--secret-file ${shellQuote(values['secret-file'])}`
      : secret.from === 'env' ? '(with DMS_WEBHOOK_SECRET set)' : '--secret-file <file with the secret>';
  let configured = '';
  if (where.url !== where.local) {
    configured = credentialsOf(where.url) ? " --configured-url '<the Webhook URL as configured in DMS>'"
      : ` --configured-url ${shellQuote(where.url)}`;
  }
  out.push(`  ${cmd} send ${where.local}${secretArg.startsWith('(') ? '' : ` ${secretArg}`}${configured}${secretArg.startsWith('(') ? `  ${secretArg}` : ''}`);
  out.push('');
  out.push('Deliveries (Ctrl-C to stop):');
  process.stdout.write(`${out.join('\n')}\n`);

  return new Promise((resolve) => {
    let stopping = false;
    const stop = () => {
      if (stopping) {
        // A second signal: stop now.
        listener.server.closeAllConnections();
        resolve(130);
        return;
      }
      stopping = true;
      listener.close(5000).then(({ ms, forced }) => {
        process.stdout.write(`Stopped in ${ms} ms${forced ? ' (connections still open after 5 s were closed)' : ''}.\n`);
        resolve(0);
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

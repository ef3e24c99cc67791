// `dms-webhook send`: a notification like the DMS console's Test button.
import { randomInt } from 'node:crypto';
import { canonicalize, parse, sign, signBody } from 'dms-webhook';
import { HELP } from './help.js';
import { makeScrubber, readCredential, redactUrl } from './credentials.js';
import { readInput } from './input.js';
import { eventSummary, oneLine } from './terminal.js';
import { UsageError, parseCommandArgs, parseInteger } from './usage.js';

function testEvent() {
  const code = String(randomInt(0, 1000000)).padStart(6, '0');
  return {
    submitterName: 'dms-webhook',
    submitterUid: '0000000000000000',
    category: '工单',
    event: '执行成功',
    eventTime: Date.now(),
    message: `【DMS数据管理】Webhook test, code: ${code} `,
    module: '数据变更',
    receivers: [{ name: 'dms-webhook', uid: '0000000000000000' }],
    targetUsers: [{ name: 'dms-webhook', uid: '0000000000000000' }],
    taskName: 'Webhook test',
  };
}

/** The messageEvent text of an --event file: a messageEvent object, or a whole DMS body. */
function eventText(bytes, file) {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let value;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not JSON: ${err.message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${file} must hold a JSON object (a messageEvent, or a whole DMS body)`);
  }
  const whole = value.messageEvent !== null && typeof value.messageEvent === 'object'
    && !Array.isArray(value.messageEvent);
  try {
    return canonicalize(whole ? text : `{"messageEvent":${text}}`);
  } catch (err) {
    throw new UsageError(`${file}: ${err.code ? `${err.code}: ` : ''}${err.message}`);
  }
}

function followsDmsFormat(text) {
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      && typeof value.success === 'boolean' && typeof value.root === 'string' ? value : null;
  } catch {
    return null;
  }
}

/** The canonical messageEvent with a field added, so that its signature no longer matches. */
function tampered(canonical) {
  return canonical === '{}' ? '{"tampered":true}' : `${canonical.slice(0, -1)},"tampered":true}`;
}

export async function send(argv) {
  const { values, positionals } = parseCommandArgs(argv, {
    secret: { type: 'string' },
    'secret-file': { type: 'string' },
    'configured-url': { type: 'string' },
    event: { type: 'string' },
    unsigned: { type: 'boolean', default: false },
    tamper: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '10' },
  }, true);
  if (values.help) {
    process.stdout.write(HELP.send);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one URL to send to');
  const given = positionals[0];
  let target;
  try {
    target = new URL(given);
  } catch {
    throw new UsageError('not a URL (the URL to send to)');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new UsageError('the URL must start with http:// or https://');
  }
  const credential = values.unsigned && values.secret === undefined && values['secret-file'] === undefined
    ? { values: [], from: null }
    : readCredential({
      flag: values.secret === undefined ? [] : [values.secret], file: values['secret-file'],
      envName: 'DMS_WEBHOOK_SECRET', what: 'secret', flagName: '--secret', fileFlag: '--secret-file',
    });
  if (values.unsigned && credential.from !== null && credential.from !== 'env') {
    throw new UsageError('--unsigned and a secret do not go together');
  }
  const secret = values.unsigned ? undefined : credential.values[0];
  if (!values.unsigned && secret === undefined) {
    throw new UsageError('a secret is required: --secret-file FILE or DMS_WEBHOOK_SECRET (or --unsigned to send without a signature)');
  }
  if (credential.warning) process.stderr.write(`dms-webhook: warning: ${credential.warning}\n`);
  const timeout = parseInteger(values.timeout, '--timeout', 1, 3600);
  const configuredUrl = values['configured-url'] ?? given;
  const scrub = makeScrubber({ secrets: secret === undefined ? [] : [secret], urls: [given, configuredUrl] });

  let event;
  if (values.event !== undefined) {
    event = eventText(await readInput(values.event), values.event === '-' ? 'standard input' : values.event);
  } else {
    event = JSON.stringify(testEvent());
  }
  const signing = { url: configuredUrl, secret };
  let body;
  if (values.unsigned) {
    const canonical = canonicalize(`{"messageEvent":${event}}`);
    body = `{"messageEvent":${values.tamper ? tampered(canonical) : canonical},"signatureMethod":"None"}`;
  } else if (values.tamper) {
    const canonical = canonicalize(`{"messageEvent":${event}}`);
    const signature = sign(canonical, signing);
    body = `{"messageEvent":${tampered(canonical)},"signatureMethod":"HMAC_SHA1","signatureText":${JSON.stringify(signature)}}`;
  } else {
    body = signBody(event, signing);
  }

  const headers = { 'DMS-Event': 'Message Hook', 'Content-Type': 'application/json' };
  if (target.username || target.password) {
    let user;
    let pass;
    try {
      user = decodeURIComponent(target.username);
      pass = decodeURIComponent(target.password);
    } catch {
      throw new UsageError('the user name and password in the URL must be percent-encoded UTF-8');
    }
    headers.Authorization = `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
    target.username = '';
    target.password = '';
  }

  let summary = '';
  try {
    summary = eventSummary(parse(body).event);
  } catch { /* shown as sent */ }
  const how = values.unsigned ? 'unsigned' : `signed for ${redactUrl(configuredUrl)}`;
  const print = (line) => process.stdout.write(`${scrub(line)}\n`);
  print(`POST ${redactUrl(target.href)}  (${how}${values.tamper ? ', tampered after signing' : ''})`);
  if (summary) print(`  ${summary}`);

  let response;
  let text;
  try {
    response = await fetch(target, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeout * 1000),
    });
    text = await response.text();
  } catch (err) {
    const cause = err.cause && err.cause.message ? `: ${err.cause.message}` : '';
    const why = err.name === 'TimeoutError' ? `no answer within ${timeout} s` : `${err.message}${cause}`;
    print(`could not deliver: ${oneLine(why, 300)}`);
    return 1;
  }
  print(`HTTP ${response.status} ${oneLine(response.statusText, 100)}`);
  print(oneLine(text, 2000));
  const reply = followsDmsFormat(text);
  const ok2xx = response.status >= 200 && response.status < 300;
  if (!reply) {
    print('The response does not follow DMS\'s format: DMS expects JSON like '
      + '{"root":"","success":true} (or "success":false with the error in "root").');
    return 1;
  }
  if (reply.success && ok2xx) {
    print('The response follows DMS\'s format: accepted.');
    return 0;
  }
  if (reply.success) {
    print(`The response follows DMS's format, but says success with status ${response.status}.`);
    return 1;
  }
  print(`The response follows DMS's format: refused${reply.root ? `: ${oneLine(reply.root)}` : ''}.`);
  return 1;
}

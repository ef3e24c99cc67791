// `dms-webhook verify`: is a saved body authentic, and if not, why.
import { explain, verify, DmsWebhookError } from 'dms-webhook';
import { HELP } from './help.js';
import { makeScrubber, readCredential } from './credentials.js';
import { readInput } from './input.js';
import { eventSummary, oneLine } from './terminal.js';
import { UsageError, parseCommandArgs } from './usage.js';

export async function verifyCommand(argv) {
  const { values, positionals } = parseCommandArgs(argv, {
    url: { type: 'string', multiple: true },
    secret: { type: 'string', multiple: true },
    'secret-file': { type: 'string' },
    'allow-unsigned': { type: 'boolean', default: false },
  }, true);
  if (values.help) {
    process.stdout.write(HELP.verify);
    return 0;
  }
  if (!values.url || values.url.length === 0) throw new UsageError('--url is required');
  const credential = readCredential({
    flag: values.secret ?? [], file: values['secret-file'], envName: 'DMS_WEBHOOK_SECRET',
    what: 'secret', flagName: '--secret', fileFlag: '--secret-file',
  });
  if (credential.values.length === 0) throw new UsageError('a secret is required: --secret-file FILE or DMS_WEBHOOK_SECRET');
  if (credential.warning) process.stderr.write(`dms-webhook: warning: ${credential.warning}\n`);
  if (positionals.length > 1) throw new UsageError('give at most one FILE');
  const bytes = await readInput(positionals[0]);
  const secrets = credential.values;
  const options = {
    url: values.url.length === 1 ? values.url[0] : values.url,
    secret: secrets.length === 1 ? secrets[0] : secrets,
    requireSignature: !values['allow-unsigned'],
  };
  const scrub = makeScrubber({ secrets, urls: values.url });
  const print = (text) => process.stdout.write(`${scrub(text)}\n`);
  let result;
  try {
    result = verify(bytes, options);
  } catch (err) {
    if (!(err instanceof DmsWebhookError)) throw err;
    if (err.code === 'INVALID_OPTIONS') throw new UsageError(err.message);
    print(explanation(err, bytes, options));
    return 1;
  }
  const m = result.matched;
  const how = m
    ? `signature verified for ${m.url} with secret #${m.secretIndex + 1} (${m.form} form)`
    : 'no signature (signatureMethod None), accepted as --allow-unsigned asks';
  print(`authentic: ${how}`);
  const summary = eventSummary(result.event);
  if (summary) print(`  ${summary}`);
  return 0;
}

function explanation(err, bytes, options) {
  const lines = [`not authentic: ${err.code}: ${oneLine(err.message, 500)}`];
  let x = null;
  try {
    x = explain(bytes, options);
  } catch { /* explain needs valid options; verify already said why */ }
  if (x) {
    if (x.parsed) {
      lines.push(`  body: a DMS body, signatureMethod ${oneLine(x.signatureMethod ?? '(none)', 40)}, `
        + `signatureText ${x.signatureText == null ? '(none)' : oneLine(JSON.stringify(x.signatureText), 80)}`);
      const summary = eventSummary(x.event);
      if (summary) lines.push(`  event (unverified): ${summary}`);
      if (x.canonicalEqualsRaw === false) {
        lines.push(`  the messageEvent in the body is not in fastjson's canonical form (first difference at character ${x.firstDifference}); both forms were tried`);
      }
    } else if (x.parseError) {
      const at = x.parseError.offset !== undefined && x.parseError.offset !== null ? ` at byte ${x.parseError.offset}` : '';
      lines.push(`  body: not readable as a DMS body${at}: ${x.parseError.code}: ${oneLine(x.parseError.message, 300)}`);
    }
    for (const hint of x.hints || []) {
      lines.push(`  hint: ${hint.code}: ${oneLine(hint.message, 500)}`);
    }
  }
  return lines.join('\n');
}

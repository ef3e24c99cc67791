// The smoke test every runtime runs (Deno, Bun, workerd, a browser): plain JS, no imports,
// given the package's exports. Returns { name: true | "what went wrong" }.
export const URL_ = 'http://my.host:8000/';
export const SECRET = 'secret';
export const SIGNATURE = '/xQPai4qeye/52aNQcdr2X456OQ=';
export const MESSAGE_EVENT = '{"submitterName":"xxx","submitterUid":"167382665015xxxx","category":"工單","event":"執行成功","eventTime":1625630049930,"message":"【DMS數據管理】Webhook test, code: 144619 ","module":"數據變更","receivers":[{"name":"xxx1","uid":"167382665015xxxx"},{"name":"xxx2","uid":"167382665016xxxx"}],"targetUsers":[{"name":"xxx1","uid":"167382665015xxxx"},{"name":"xxx2","uid":"167382665016xxxx"}],"taskName":"Webhook test"}';
export const BODY = `{"messageEvent":${MESSAGE_EVENT},"signatureMethod":"HMAC_SHA1","signatureText":"${SIGNATURE}"}`;

export function smoke(api) {
  const options = { url: URL_, secret: SECRET };
  const results = {};
  const check = (name, fn) => {
    try {
      const ok = fn();
      results[name] = ok === true ? true : `returned ${JSON.stringify(ok)}`;
    } catch (err) {
      results[name] = `threw ${err && err.name}: ${err && err.message}`;
    }
  };
  check('verify string', () => {
    const v = api.verify(BODY, options);
    return v.signatureMethod === 'HMAC_SHA1' && v.matched.url === URL_ && v.matched.secretIndex === 0
      && v.event.taskName === 'Webhook test' && v.event.eventTime === 1625630049930
      && v.event.receivers.length === 2;
  });
  check('verify bytes', () => api.verify(new TextEncoder().encode(BODY), options).event.category === '工單');
  check('sign', () => api.sign(MESSAGE_EVENT, options) === SIGNATURE);
  check('signBody', () => api.verify(api.signBody(JSON.parse(MESSAGE_EVENT), options), options).event.module === '數據變更');
  check('parse', () => {
    const p = api.parse(BODY);
    return p.signatureMethod === 'HMAC_SHA1' && p.signatureText === SIGNATURE && p.event.submitterName === 'xxx';
  });
  check('canonicalize', () => api.canonicalize(BODY) === MESSAGE_EVENT);
  check('error code', () => {
    try {
      api.verify(BODY.replace(SIGNATURE, 'AAAAAAAAAAAAAAAAAAAAAAAAAAA='), options);
      return 'verify accepted a wrong signature';
    } catch (err) {
      return err instanceof api.DmsWebhookError && err instanceof Error && err.code === 'SIGNATURE_MISMATCH'
        && err.name === 'DmsWebhookError';
    }
  });
  check('still working after an error', () => api.verify(BODY, options).matched.secretIndex === 0);
  // From 4 KiB a runtime with node:crypto (Deno, Bun) has it compute the tags, handed to the
  // module through its function table; a wrong signature must still be refused.
  check('verify a large body', () => {
    const large = api.signBody({ ...JSON.parse(MESSAGE_EVENT), message: '數據'.repeat(3000) }, options);
    const bytes = new TextEncoder().encode(large);
    const tampered = large.replace('"taskName":"Webhook test"', '"taskName":"Webhook tesT"');
    let refused = false;
    try {
      api.verify(tampered, options);
    } catch (err) {
      refused = err.code === 'SIGNATURE_MISMATCH';
    }
    return bytes.length > 16000 && api.verify(large, options).event.message.length === 6000
      && api.verify(bytes, options).matched.form === 'canonical' && refused;
  });
  return results;
}

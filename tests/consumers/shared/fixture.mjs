// The bodies every consumer checks. Both signed ones are from tests/vectors (their signatures
// are the ones fastjson computed): DMS's documented example, and a body whose number fastjson
// rewrites (1.50 is signed as 1.5), which only the package's second WebAssembly module
// (full.wasm) can verify, so that a consumer proves it loads both modules.
export const URL = 'http://my.host:8000/';
export const SECRET = 'secret';

export const SIGNED = '{"messageEvent":{"submitterName":"xxx","submitterUid":"167382665015xxxx","category":"工單","event":"執行成功","eventTime":1625630049930,"message":"【DMS數據管理】Webhook test, code: 144619 ","module":"數據變更","receivers":[{"name":"xxx1","uid":"167382665015xxxx"},{"name":"xxx2","uid":"167382665016xxxx"}],"targetUsers":[{"name":"xxx1","uid":"167382665015xxxx"},{"name":"xxx2","uid":"167382665016xxxx"}],"taskName":"Webhook test"},"signatureMethod":"HMAC_SHA1","signatureText":"/xQPai4qeye/52aNQcdr2X456OQ="}';

/** The signed example with one digit of its message changed: the signature no longer fits. */
export const TAMPERED = SIGNED.replace('code: 144619', 'code: 144610');

export const REWRITTEN = '{"messageEvent":{"n":1.50},"signatureMethod":"HMAC_SHA1","signatureText":"2/EPH3MrvtW9omuj684wk+w2I1k="}';

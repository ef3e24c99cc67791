// What a consumer program checks, handed the package's exports as the program imported them:
// the signed bodies verify, the tampered one is refused with SIGNATURE_MISMATCH. Returns one
// line, which the runner compares with EXPECTED.
import { URL, SECRET, SIGNED, TAMPERED, REWRITTEN } from './fixture.mjs';

export const EXPECTED = 'verified Webhook test; refused SIGNATURE_MISMATCH; verified n=1.5';

export function check({ verify, DmsWebhookError }) {
  const options = { url: URL, secret: SECRET };
  const outcome = (body, describe) => {
    try {
      return `verified ${describe(verify(body, options).event)}`;
    } catch (err) {
      if (!(err instanceof DmsWebhookError)) throw err;
      return `refused ${err.code}`;
    }
  };
  return [
    outcome(SIGNED, (event) => event.taskName),
    outcome(TAMPERED, (event) => event.taskName),
    outcome(REWRITTEN, (event) => `n=${event.n}`),
  ].join('; ');
}

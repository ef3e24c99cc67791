// Delivers the fixture's bodies to a receiver as DMS does (POST, `DMS-Event: Message Hook`) and
// sums up its answers in one line, which the runner compares with EXPECTED_ANSWERS. `post`
// sends one body and resolves to `{ status, text }`: fetch in the runner, node:http in Node
// programs (Node 18.0's fetch is still experimental).
import { SIGNED, TAMPERED, REWRITTEN } from './fixture.mjs';

export const EXPECTED_ANSWERS = '200 ok; 401 SIGNATURE_MISMATCH; 200 ok';

export const HEADERS = { 'content-type': 'application/json', 'dms-event': 'Message Hook' };

export async function deliver(post) {
  const answers = [];
  for (const body of [SIGNED, TAMPERED, REWRITTEN]) {
    const { status, text } = await post(body);
    let summary;
    try {
      const { root, success } = JSON.parse(text);
      summary = success === true && root === '' ? 'ok' : String(root).split(':')[0];
    } catch {
      summary = `not DMS's format: ${text.slice(0, 200)}`;
    }
    answers.push(`${status} ${summary}`);
  }
  return answers.join('; ');
}

// Deno and Bun load the Node entry (node:fs, initSync) and run the smoke test.
import * as api from '../../../pkg/node.mjs';
import { smoke } from './smoke.mjs';

console.log(JSON.stringify(smoke(api)));

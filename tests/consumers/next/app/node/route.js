// The README's Fetch API receiver as a route handler on the Node.js runtime.
import { receive } from '../../receiver.mjs';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = receive;

// The README's Fetch API receiver as a route handler on the edge runtime.
import { receive } from '../../receiver.mjs';

export const runtime = 'edge';
export const dynamic = 'force-dynamic';

export const POST = receive;

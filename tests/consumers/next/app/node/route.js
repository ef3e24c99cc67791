// The README's route handler on the Node.js runtime.
export { POST } from '../../lib/route.mjs';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

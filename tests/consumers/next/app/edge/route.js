// The README's route handler on the edge runtime.
export { POST } from '../../lib/route.mjs';

export const runtime = 'edge';
export const dynamic = 'force-dynamic';

// A Vercel-style edge function with the README's receiver.
import { receive } from './receiver.mjs';

export const config = { runtime: 'edge' };

export default function handler(request) {
  return receive(request);
}

// A Cloudflare Worker with the README's receiver.
import { receive } from '../receiver.mjs';

export default {
  async fetch(request) {
    return receive(request);
  },
};

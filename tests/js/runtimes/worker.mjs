// A Cloudflare Worker using the workerd entry: GET runs the smoke test, POST is a receiver.
import * as api from '../../../pkg/workerd.js';
import { SECRET, URL_, smoke } from './smoke.mjs';

export default {
  async fetch(request) {
    if (request.method === 'GET') return Response.json(smoke(api));
    try {
      return api.dmsResponse(await api.verifyRequest(request, { url: URL_, secret: SECRET }));
    } catch (err) {
      return api.dmsResponse(err);
    }
  },
};

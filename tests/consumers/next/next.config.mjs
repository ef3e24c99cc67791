// The app lives inside the repository, whose tests/consumers/ folder holds next and react: that
// folder is the root Next would otherwise have to guess among several lock files.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export default {
  turbopack: { root },
  outputFileTracingRoot: root,
};

// A de-duplication store that survives restarts: one empty file per handled delivery, named by
// its deliveryKey, in a folder. Creating the file is the record; its age is its expiry. Give it
// to createHandler({ deduplicate: new FileDeliveryStore(dir) }).
//
// Several processes on one machine may share the folder. For several machines use a shared store
// with an atomic "set if absent with a TTL" (Redis `SET dms:<key> 1 NX PX <ms>`, or a database
// table with the key as primary key): any object with has(key) and add(key, expiresAt) will do.
import { mkdirSync, readdirSync, statSync, unlinkSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const KEY = /^[0-9a-f]{64}$/;

export class FileDeliveryStore {
  /** @param {string} dir created if missing (mode 700) */
  constructor(dir) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.sweep();
  }

  #file(key) {
    if (!KEY.test(key)) throw new Error('not a deliveryKey');
    return path.join(this.dir, key);
  }

  /** Handled and not expired. The file's modification time holds its expiry. */
  has(key) {
    try {
      return statSync(this.#file(key)).mtimeMs > Date.now();
    } catch {
      return false;
    }
  }

  /** Records a handled delivery until expiresAt (epoch ms). */
  add(key, expiresAt) {
    const file = this.#file(key);
    if (!existsSync(file)) writeFileSync(file, '', { mode: 0o600 });
    const at = new Date(expiresAt);
    utimesSync(file, at, at);
  }

  /** Removes expired records (called at start; call it now and then on a long-running server). */
  sweep() {
    const now = Date.now();
    for (const name of readdirSync(this.dir)) {
      if (!KEY.test(name)) continue;
      try {
        if (statSync(path.join(this.dir, name)).mtimeMs <= now) unlinkSync(path.join(this.dir, name));
      } catch { /* removed meanwhile */ }
    }
  }
}

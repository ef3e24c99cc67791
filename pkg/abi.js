// The two WebAssembly modules and how calls reach them: bytes written into linear memory,
// integers back, text results and error messages read from memory (see wasm/src/abi.rs).
//
// An entry says where each module comes from (`provide`); a module is instantiated on its first
// use. The modules import nothing: where the host has a faster HMAC-SHA1, it is added to a
// module's function table when a large body first needs it (wasm/src/host.rs says why).
import { DmsWebhookError } from './error.js';

/** The status of a body the verify module hands to the full module (wasm/src/abi.rs). */
export const NEEDS_FULL = 255;

/** Every code the modules return, in their order (1 + index is the status of a call). */
export const CODES = [
  'MALFORMED_JSON', 'UNSUPPORTED_JSON', 'NESTING_TOO_DEEP', 'NUMBER_OUT_OF_RANGE', 'INVALID_UTF8',
  'BODY_TOO_LARGE', 'MISSING_MESSAGE_EVENT', 'INVALID_MESSAGE_EVENT', 'UNSIGNED',
  'UNSUPPORTED_SIGNATURE_METHOD', 'SIGNATURE_MISMATCH', 'EVENT_TOO_OLD', 'EVENT_IN_FUTURE', 'INVALID_OPTIONS',
];

// The result area's slots (wasm/src/abi.rs, `Slot`).
export const OFFSET = 0;
export const METHOD = 0;
const PTR = 1;
const LEN = 2;
export const FORM = 3;
export const URL_INDEX = 4;
export const SECRET_INDEX = 5;
export const EVENT_START = 6;
export const EVENT_END = 7;
export const WIDE = 8;
const NONE = 0xffffffff;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const NO_LISTS = new Uint8Array(0);

/** Lists of strings as the modules read them: `[count u32][len u32][UTF-8]...`, little-endian. */
export function encodeLists(...lists) {
  const encoded = lists.map((list) => list.map((s) => encoder.encode(s)));
  const size = encoded.reduce((n, list) => list.reduce((m, b) => m + 4 + b.length, n + 4), 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const list of encoded) {
    view.setUint32(at, list.length, true);
    at += 4;
    for (const bytes of list) {
      view.setUint32(at, bytes.length, true);
      out.set(bytes, at + 4);
      at += 4 + bytes.length;
    }
  }
  return out;
}

/**
 * A module that imports a function `dms.hmac(text, len, out)` and exports it again as `hmac`: a
 * WebAssembly function made of a JavaScript one, which a module's function table can hold.
 */
const BRIDGE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  0x01, 0x07, 0x01, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x00, // types: (i32, i32, i32) -> ()
  0x02, 0x0c, 0x01, 0x03, 0x64, 0x6d, 0x73, 0x04, 0x68, 0x6d, 0x61, 0x63, 0x00, 0x00, // import dms.hmac
  0x07, 0x08, 0x01, 0x04, 0x68, 0x6d, 0x61, 0x63, 0x00, 0x00, // export it as hmac
]);
let bridge = null;

/** Where each module comes from: a function returning a compiled `WebAssembly.Module`. */
const sources = { verify: null, full: null };

/**
 * The host's HMAC-SHA1, `(key, prefix, data) => Uint8Array(20)`, where the host has one that is
 * faster than the module's own on large bodies (Node's uses the CPU's SHA instructions): found
 * by the entry's loader when first needed; null when there is none.
 */
let hostHmacLoader = null;
let hostHmac;

/**
 * Called by an entry (or by `init()`): `{ verify, full }`, each `() => WebAssembly.Module`, and
 * optionally `hmac`, a function that returns the host's HMAC-SHA1 or null.
 */
export function provide(found) {
  if (found.verify) sources.verify = found.verify;
  if (found.full) sources.full = found.full;
  if (found.hmac) {
    hostHmacLoader = found.hmac;
    hostHmac = undefined;
  }
}

/** The host's HMAC-SHA1, or null (looked up once, when first needed). */
export function hmacOfHost() {
  if (hostHmac === undefined) hostHmac = hostHmacLoader?.() ?? null;
  return hostHmac;
}

/** One instance of a module and views of its memory, remade when the memory grows. */
export class Wasm {
  constructor(module) {
    /** The URLs and secrets the module was configured with (for the host's HMAC). */
    this.keys = null;
    /** Whether the module has the host's HMAC-SHA1 in its function table. */
    this.hostReady = false;
    this.exports = new WebAssembly.Instance(module).exports;
    this.memory = this.exports.memory;
    this.buffer = null;
    this.lastView = null;
    this.refresh();
  }

  /**
   * Hands the module the host's HMAC-SHA1, the first time a large body needs it: added to the
   * module's function table, its index passed to `dms_host_hmac`.
   */
  useHostHmac() {
    if (this.hostReady) return;
    bridge ??= new WebAssembly.Module(BRIDGE);
    const hostTags = (text, len, out) => this.hostTags(text, len, out);
    const { hmac } = new WebAssembly.Instance(bridge, { dms: { hmac: hostTags } }).exports;
    this.exports.dms_host_hmac(this.exports.__indirect_function_table.grow(1, hmac));
    this.hostReady = true;
  }

  /** The module's call for the host's HMAC-SHA1 of every configured pair over its text. */
  hostTags(text, len, out) {
    const hmac = hmacOfHost();
    const { urls, secrets } = this.keys;
    this.refresh();
    const data = this.bytes.subarray(text, text + len);
    for (let i = 0; i < urls.length * secrets.length; i += 1) {
      const url = urls[Math.floor(i / secrets.length)];
      const secret = secrets[i % secrets.length];
      this.bytes.set(hmac(secret, url + secret, data), out + 20 * i);
    }
  }

  /** A view of `length` bytes of memory at `start`, kept while the same one is asked for. */
  view(start, length) {
    const v = this.lastView;
    if (v !== null && v.buffer === this.buffer && v.byteOffset === start && v.length === length) return v;
    this.lastView = new Uint8Array(this.buffer, start, length);
    return this.lastView;
  }

  refresh() {
    if (this.buffer !== this.memory.buffer) {
      this.buffer = this.memory.buffer;
      this.bytes = new Uint8Array(this.buffer);
      this.result = new Uint32Array(this.buffer, this.exports.dms_result(), 9);
    }
  }

  /**
   * Starts a call with `body` (a string or a Uint8Array) as its input, refusing it before it is
   * copied when it is longer than `max` bytes, after `lists` (bytes from `encodeLists`, for the
   * calls that take URLs and secrets). Returns the body's length in bytes.
   */
  input(body, max, lists = NO_LISTS) {
    const before = lists.length;
    if (typeof body === 'string') {
      // UTF-8 takes at least one byte per UTF-16 unit and at most three. Room for a little
      // more than the units first (enough for most text), then, if that was not enough, for
      // the rest at its worst: the input always starts at the same place (the first
      // allocation of a call), so what is written stays where it is.
      if (body.length > max) throw this.tooLarge(body.length, max, true);
      // Rounded up to whole kilobytes, so that bodies of similar sizes reuse one view.
      let room = Math.min((body.length + (body.length >> 1) + 1039) & ~1023, max + 1);
      let at = this.exports.dms_input(before + room);
      this.refresh();
      if (before !== 0) this.bytes.set(lists, at);
      let { read, written } = encoder.encodeInto(body, this.view(at + before, room));
      if (read < body.length && room <= max) {
        room = Math.min(written + (body.length - read) * 3, max + 1);
        at = this.exports.dms_input(before + room);
        this.refresh();
        const rest = encoder.encodeInto(body.slice(read),
          this.bytes.subarray(at + before + written, at + before + room));
        read += rest.read;
        written += rest.written;
      }
      if (read < body.length) throw this.tooLarge(room + 1, max, true);
      this.at = at + before;
      return written;
    }
    if (body instanceof Uint8Array) {
      if (body.length > max) throw this.tooLarge(body.length, max, false);
      const at = this.exports.dms_input(before + body.length);
      this.refresh();
      if (before !== 0) this.bytes.set(lists, at);
      this.bytes.set(body, at + before);
      this.at = at + before;
      return body.length;
    }
    throw invalidOptions('the body must be a string or a Uint8Array');
  }

  /** Configures the module with these URLs and secrets; returns the call's status. */
  configure(urls, secrets) {
    const lists = encodeLists(urls, secrets);
    const at = this.exports.dms_config_input(lists.length);
    this.refresh();
    this.bytes.set(lists, at);
    return this.exports.dms_configure(lists.length);
  }

  /** The text a call left in the result area. */
  text() {
    this.refresh();
    const at = this.result[PTR];
    return decoder.decode(this.bytes.subarray(at, at + this.result[LEN]));
  }

  /** The `DmsWebhookError` of a failed call's status. */
  error(status) {
    const message = this.text();
    const offset = this.result[OFFSET];
    return new DmsWebhookError(CODES[status - 1] ?? 'INVALID_OPTIONS', message, offset === NONE ? undefined : offset);
  }

  tooLarge(length, max, atLeast) {
    return this.error(this.exports.dms_too_large(length, max, atLeast ? 1 : 0));
  }
}

const instances = { verify: null, full: null };

/** The instance of a module (`verify` or `full`), made on first use. */
export function wasm(kind) {
  const ready = instances[kind];
  if (ready !== null) return ready;
  const source = sources[kind];
  if (source === null) {
    throw new Error('dms-webhook: the WebAssembly module is not loaded yet: `await init()` first');
  }
  instances[kind] = new Wasm(source());
  return instances[kind];
}

/**
 * Runs `call(instance)` on a module; a trap (a bug: the modules should never trap) drops the
 * instance, so the next call starts from a fresh one, and is reported with its cause.
 */
export function guarded(kind, call) {
  const instance = wasm(kind);
  try {
    return call(instance);
  } catch (err) {
    throw dropOnTrap(kind, err);
  }
}

/** What to throw for an error raised during a call: a trap also drops the module's instance. */
export function dropOnTrap(kind, err) {
  if (!(err instanceof WebAssembly.RuntimeError)) return err;
  instances[kind] = null;
  return new Error(`dms-webhook: internal error in the ${kind} module (${err.message}); the module was reset`, { cause: err });
}

export function invalidOptions(message) {
  return new DmsWebhookError('INVALID_OPTIONS', message);
}

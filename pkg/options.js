// Reading VerifyOptions: every value checked, with an INVALID_OPTIONS error that names it.
import { invalidOptions } from './abi.js';

/** 1 MiB: the default `maxBodyBytes`. */
export const DEFAULT_MAX_BODY_BYTES = 1048576;
/** A string, or an array of strings, as a list. */
export function strings(value, name) {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((s) => typeof s === 'string')) return value.slice();
  if (Array.isArray(value)) throw invalidOptions(`options.${name} must hold only strings`);
  throw invalidOptions(`options.${name} must be a string or an array of strings`);
}

function finite(options, name) {
  const value = options[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidOptions(`options.${name} must be a finite number`);
  }
  return value;
}

function nonNegative(options, name) {
  const value = finite(options, name);
  if (value !== undefined && value < 0) throw invalidOptions(`options.${name} must not be negative`);
  return value;
}

/**
 * The policy part of the options, read at every call: `[requireSignature (1/0), maxBodyBytes,
 * maxAgeMs (-1: none), now (undefined: Date.now() at the call)]`.
 */
export function policyOf(options) {
  const require = options.requireSignature;
  if (require !== undefined && require !== null && typeof require !== 'boolean') {
    throw invalidOptions('options.requireSignature must be a boolean');
  }
  const maxAge = nonNegative(options, 'maxAgeMs');
  const now = finite(options, 'now');
  const max = maxBodyBytesOf(options);
  return [require === false ? 0 : 1, max, maxAge ?? -1, now];
}

/** `maxBodyBytes`: a whole number of bytes, not negative; 1 MiB when absent. */
export function maxBodyBytesOf(options) {
  const max = nonNegative(options, 'maxBodyBytes');
  if (max === undefined) return DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(max)) throw invalidOptions('options.maxBodyBytes must be a whole number of bytes');
  return max;
}

export function checkObject(options) {
  if (options === null || typeof options !== 'object') {
    throw invalidOptions('options must be an object with url and secret (see VerifyOptions)');
  }
}

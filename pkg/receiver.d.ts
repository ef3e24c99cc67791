// Types shared by the receivers (`dms-webhook/node-handler`, `dms-webhook/hono`,
// `dms-webhook/fastify`): replay protection and body limits. Runtime-agnostic: nothing here
// needs Node's types.
import type { VerifyRequestOptions } from "./fetch.js";

/**
 * Where handled deliveries are remembered (by deliveryKey). Methods may be async. A store shared
 * by several processes should make add() atomic ("set if absent with a TTL").
 */
export interface DeliveryStore {
  has(key: string): boolean | Promise<boolean>;
  add(key: string, expiresAt: number): void | Promise<void>;
}

/** A bounded in-memory DeliveryStore (100,000 keys by default; the oldest go first). */
export declare class MemoryDeliveryStore implements DeliveryStore {
  constructor(options?: { maxKeys?: number });
  has(key: string, now?: number): boolean;
  add(key: string, expiresAt: number, now?: number): void;
  readonly size: number;
}

/** VerifyRequestOptions plus replay protection and the body's time limit. */
export interface ReplayProtectedOptions extends Omit<VerifyRequestOptions, "maxAgeMs"> {
  /**
   * The freshness window on eventTime, in ms: 3,600,000 (one hour) when absent; `null` switches
   * it off. A signed body without a usable eventTime is refused (EVENT_TOO_OLD) while it is on.
   */
  maxAgeMs?: number | null;
  /**
   * De-duplication by deliveryKey: a bounded in-memory store by default, your own DeliveryStore
   * (to remember across restarts or processes), or false. A delivery is recorded only once it
   * was handled, so that DMS's retry after a failure goes through.
   */
  deduplicate?: DeliveryStore | false;
  /** The body must arrive within this many ms (default 10,000; 0: no limit), else 408. */
  bodyTimeoutMs?: number;
}

/** One hour: the default freshness window of the receivers. */
export declare const DEFAULT_MAX_AGE_MS: number;

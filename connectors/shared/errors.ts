// Typed errors every connector throws, so the run can decide what to do without parsing messages:
// a human must act (ConfigError), wait (RateLimitedError), retry (TransientError), skip one record
// (DataError), or stop cleanly for today with the checkpoint saved (QuotaExhaustedError).

export type Vendor = 'hubspot' | 'salesforce' | 'stripe' | 'zendesk' | 'mixpanel' | 'slack';

abstract class VendorError extends Error {
  readonly vendor: Vendor;
  constructor(vendor: Vendor, message: string, options?: ErrorOptions) {
    super(`${vendor}: ${message}`, options);
    this.vendor = vendor;
  }
}

/** Bad credentials, a missing scope or permission, a missing property: retrying cannot help. */
export class ConfigError extends VendorError {
  override name = 'ConfigError';
}

/** The vendor said "too many requests"; `retryAfterMs` is its own hint when it gave one. */
export class RateLimitedError extends VendorError {
  override name = 'RateLimitedError';
  readonly retryAfterMs: number | undefined;
  constructor(vendor: Vendor, message: string, retryAfterMs: number | undefined, options?: ErrorOptions) {
    super(vendor, message, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/** A 5xx, a timeout, a dropped connection, a body that did not parse: worth a capped retry. */
export class TransientError extends VendorError {
  override name = 'TransientError';
}

/** The daily allocation is used up: stop the run cleanly, keep the checkpoint, resume tomorrow. */
export class QuotaExhaustedError extends VendorError {
  override name = 'QuotaExhaustedError';
}

/** One record is wrong (fails its raw schema, rejected by the vendor): report it, keep going. */
export class DataError extends VendorError {
  override name = 'DataError';
  readonly recordId: string | undefined;
  constructor(vendor: Vendor, recordId: string | undefined, message: string, options?: ErrorOptions) {
    super(vendor, recordId === undefined ? message : `record ${recordId}: ${message}`, options);
    this.recordId = recordId;
  }
}

export const isRetryable = (err: unknown): err is RateLimitedError | TransientError =>
  err instanceof RateLimitedError || err instanceof TransientError;

/** Whether `err` is one of the typed errors above (any vendor). */
export const isTypedError = (err: unknown): err is Error =>
  err instanceof ConfigError ||
  err instanceof RateLimitedError ||
  err instanceof TransientError ||
  err instanceof QuotaExhaustedError ||
  err instanceof DataError;

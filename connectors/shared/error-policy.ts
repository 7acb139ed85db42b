// A vendor's error policy as data (the Airbyte idea): a table of rules, each matching an answer by
// HTTP status, the vendor's error code and/or a pattern in the body, naming the typed error it
// becomes and the sentence that tells the user what to fix. The first matching rule wins; an answer
// no rule matches falls to the defaults (429 waits, 5xx/408 retry, any other 4xx is a DataError).
// The transports (transport.ts, and the HubSpot and Salesforce SDK adapters) apply it.
import { ConfigError, DataError, QuotaExhaustedError, RateLimitedError, TransientError, type Vendor } from './errors.ts';
import { redact } from './http-trace.ts';
import { parseRetryAfter } from './retry.ts';

export type ErrorKind = 'config' | 'rateLimited' | 'quota' | 'transient' | 'data';

/** One HTTP answer as the policy sees it. */
export interface Answer {
  status: number;
  /** Lower-case header name → value. */
  header(name: string): string | undefined;
  body: string;
}

/** What the vendor said, read from its error body by the policy's reader. */
export interface VendorSaid {
  code?: string | undefined;
  message?: string | undefined;
  /** Anything else a rule's sentence may use (e.g. HubSpot's missing scopes). */
  details?: Record<string, unknown>;
}

export interface ErrorContext {
  /** What the caller was doing ("list subscriptions", "segmentation of \"Login\""). */
  what: string;
  /** The request path, for sentences such as "check the base URL". */
  path: string;
  said: VendorSaid;
  status: number;
  header(name: string): string | undefined;
}

export interface ErrorRule {
  /** An HTTP status, or an inclusive range. */
  status?: number | readonly [number, number];
  /** The vendor's error code (exact, or a pattern). */
  code?: string | RegExp;
  /** A pattern the raw body must contain. */
  body?: RegExp;
  /** Only when the answer carries (true) or lacks (false) a Retry-After header. */
  retryAfter?: boolean;
  kind: ErrorKind;
  /** The sentence the user reads: what happened and what to fix. */
  say: string | ((c: ErrorContext) => string);
}

export interface ErrorPolicy {
  vendor: Vendor;
  /** The vendor's error code and message from a body (JSON error object, SOAP fault…). */
  read(body: string): VendorSaid;
  rules: readonly ErrorRule[];
  /** How long a 429 without Retry-After waits (the vendor's window). */
  rateLimitWaitMs?: number | ((c: ErrorContext) => number);
}

/** The verdict on one answer: which error, its sentence, and the wait a rate limit asks for. */
export interface Verdict {
  kind: ErrorKind;
  message: string;
  retryAfterMs: number | undefined;
  said: VendorSaid;
  /** The matching rule's sentence alone (undefined when no rule matched). */
  sentence: string | undefined;
}

const matchesStatus = (s: ErrorRule['status'], status: number) =>
  s === undefined || (typeof s === 'number' ? s === status : status >= s[0] && status <= s[1]);

const matchesCode = (c: ErrorRule['code'], code: string | undefined) =>
  c === undefined || (code !== undefined && (typeof c === 'string' ? c === code : c.test(code)));

/** Reads a JSON body defensively: undefined when it is not JSON. */
export function jsonOf(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function defaultKind(status: number): ErrorKind {
  if (status === 429) return 'rateLimited';
  if (status >= 500 || status === 408) return 'transient';
  return 'data';
}

/** Judges a non-2xx answer (or a 2xx the caller found unreadable) by the policy; never undefined. */
export function judge(policy: ErrorPolicy, answer: Answer, what: string, path: string): Verdict {
  const said = answer.body ? policy.read(answer.body) : {};
  const ctx: ErrorContext = { what, path, said, status: answer.status, header: answer.header };
  const hasRetryAfter = answer.header('retry-after') !== undefined;
  const rule = policy.rules.find(
    (r) =>
      matchesStatus(r.status, answer.status) &&
      matchesCode(r.code, said.code) &&
      (r.body === undefined || r.body.test(answer.body)) &&
      (r.retryAfter === undefined || r.retryAfter === hasRetryAfter),
  );
  const kind = rule?.kind ?? defaultKind(answer.status);
  const vendorText = [said.code, said.message].filter(Boolean).join(': ') || answer.body.slice(0, 200);
  const heard = `${answer.status}${vendorText ? ` ${vendorText}` : ''}`;
  const sentence = rule ? (typeof rule.say === 'string' ? rule.say : rule.say(ctx)) : undefined;
  const message = redact(`${what}: ${sentence ? `${sentence} ` : ''}(${policy.vendor} answered ${heard})`);
  let retryAfterMs: number | undefined;
  if (kind === 'rateLimited') {
    const fallback = typeof policy.rateLimitWaitMs === 'function' ? policy.rateLimitWaitMs(ctx) : policy.rateLimitWaitMs;
    retryAfterMs = parseRetryAfter(answer.header('retry-after')) ?? fallback;
  }
  return { kind, message, retryAfterMs, said, sentence: sentence === undefined ? undefined : redact(sentence) };
}

/** The typed error for a verdict (cause kept, message already redacted). */
export function errorOf(vendor: Vendor, v: Verdict, cause?: unknown): Error {
  const options = cause === undefined ? undefined : { cause };
  switch (v.kind) {
    case 'config':
      return new ConfigError(vendor, v.message, options);
    case 'rateLimited':
      return new RateLimitedError(vendor, v.message, v.retryAfterMs, options);
    case 'quota':
      return new QuotaExhaustedError(vendor, v.message, options);
    case 'transient':
      return new TransientError(vendor, v.message, options);
    case 'data':
      return new DataError(vendor, undefined, v.message, options);
  }
}

/** Judges an answer and returns its typed error. */
export function classify(policy: ErrorPolicy, answer: Answer, what: string, path: string, cause?: unknown): Error {
  return errorOf(policy.vendor, judge(policy, answer, what, path), cause);
}

/** An Answer from a fetch Response whose body was read as `body`. */
export function answerOf(res: Response, body: string): Answer {
  return { status: res.status, header: (n) => res.headers.get(n) ?? undefined, body };
}

// Rate limits as a budget: one rolling-window budget per vendor (and limit name) per process,
// shared by every caller, so parallel work inside a run can never exceed the vendor's limit.

export interface BudgetOptions {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
  /** Requests allowed in flight at once (Mixpanel: 5); unlimited when absent. */
  concurrency?: number;
}

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(t);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export class RateBudget {
  readonly name: string;
  readonly options: BudgetOptions;
  private readonly clock: Clock;
  /** When each request of the window ended, oldest first (one in flight counts until it ends). */
  private readonly ended: number[] = [];
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];
  private pausedUntil = 0;
  /** How many times callers had to wait for the budget (reported by benchmarks). */
  waits = 0;

  constructor(name: string, options: BudgetOptions, clock: Clock = systemClock) {
    this.name = name;
    this.options = options;
    this.clock = clock;
  }

  /**
   * Waits until a request may start, then counts it. Call `release()` when it ends. A request counts
   * in the window from its start until a window after its end: the vendor saw it arrive somewhere in
   * between, so the vendor's own window can never hold more than the limit.
   */
  async acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const { limit, windowMs, concurrency } = this.options;
    for (;;) {
      const now = this.clock.now();
      while (this.ended.length > 0 && (this.ended[0] as number) <= now - windowMs) this.ended.shift();
      let waitMs = 0;
      if (this.pausedUntil > now) waitMs = this.pausedUntil - now;
      else if (this.ended.length + this.inFlight >= limit && this.ended.length > 0 && this.inFlight < limit)
        waitMs = (this.ended[0] as number) + windowMs - now;
      const full = this.inFlight >= limit || (concurrency !== undefined && this.inFlight >= concurrency);
      if (waitMs <= 0 && full) {
        this.waits++;
        await new Promise<void>((resolve) => this.waiters.push(resolve));
        continue;
      }
      if (waitMs <= 0) break;
      this.waits++;
      await this.clock.sleep(waitMs, signal);
    }
    this.inFlight++;
  }

  release(): void {
    if (this.inFlight === 0) return;
    this.inFlight--;
    this.ended.push(this.clock.now());
    this.waiters.shift()?.();
  }

  /** The vendor said 429: nobody in this process starts a request before `ms` from now. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
  }

  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}

const budgets = new Map<string, RateBudget>();

/** The process-wide budget for `name` (e.g. "hubspot", "zendesk:incremental"), created on first use. */
export function sharedBudget(name: string, options: BudgetOptions, clock?: Clock): RateBudget {
  let b = budgets.get(name);
  if (!b || b.options.limit !== options.limit || b.options.windowMs !== options.windowMs || b.options.concurrency !== options.concurrency) {
    b = new RateBudget(name, options, clock);
    budgets.set(name, b);
  }
  return b;
}

// A vendor's documented request rules as data, shared by every fake that enforces them: each rule
// with its doc link, how sure we are (confirmed in the vendor's docs, or inferred from errors other
// integrators report) and the vendor's answer to a request that breaks it. A fake answers the first
// broken rule and records it in its vendor's violation log (the suite's audit takes them after each
// test); an HTTP trace (JSONL, see http-trace.ts) can be audited against the same rules.
import type { FakeResponse } from './server.ts';

export interface VendorRule<R> {
  id: string;
  /** The rule in one line, as the connector's README states it. */
  rule: string;
  doc: string;
  evidence: 'confirmed' | 'inferred';
  /** The vendor's answer when `req` breaks the rule; undefined when it keeps it. */
  check(req: R): FakeResponse | undefined;
  /**
   * The vendor does not refuse such a request (e.g. a parameter it does not document, which it may
   * ignore): the fake serves it, and records it for the suite's audit, since a connector relying on
   * undocumented behaviour breaks the rule all the same.
   */
  auditOnly?: boolean;
}

/** The first rule `req` breaks, with the vendor's answer; undefined when it keeps them all. */
export function firstBrokenRule<R>(rules: readonly VendorRule<R>[], req: R): { rule: VendorRule<R>; answer: FakeResponse } | undefined {
  for (const rule of rules) {
    const answer = rule.check(req);
    if (answer) return { rule, answer };
  }
  return undefined;
}

/**
 * Checks `req` against every rule: each broken one is recorded in `log`; the answer is that of the
 * first broken rule the vendor refuses (auditOnly rules are recorded and served).
 */
export function enforceRules<R>(
  rules: readonly VendorRule<R>[],
  req: R,
  log: ViolationLog,
  method: string,
  path: string,
): FakeResponse | undefined {
  let answer: FakeResponse | undefined;
  for (const rule of rules) {
    const broken = rule.check(req);
    if (!broken) continue;
    log.record(rule.id, method, path);
    if (!rule.auditOnly) {
      answer = broken;
      break;
    }
  }
  return answer;
}

/** The requests a vendor's fakes refused for breaking a rule, as `<rule id>: <method> <path>`, until taken. */
export class ViolationLog {
  private readonly entries: string[] = [];
  record(ruleId: string, method: string, path: string): void {
    this.entries.push(`${ruleId}: ${method} ${path}`);
  }
  take(): string[] {
    return this.entries.splice(0, this.entries.length);
  }
}

export interface TracedRequest {
  method: string;
  url: URL;
  /** The request body as text ("" when none). */
  body: string;
}

/** One vendor's requests in an HTTP trace (JSONL), bodies back as text (the trace stores JSON bodies parsed). */
export function tracedRequests(jsonl: string, vendor: string): TracedRequest[] {
  const out: TracedRequest[] = [];
  for (const line of jsonl.split('\n')) {
    if (!line.trim()) continue;
    const x = JSON.parse(line) as { vendor?: string; method?: string; url?: string; requestBody?: unknown };
    if (x.vendor !== vendor || !x.url) continue;
    const body = typeof x.requestBody === 'string' ? x.requestBody : x.requestBody === undefined ? '' : JSON.stringify(x.requestBody);
    out.push({ method: x.method ?? 'GET', url: new URL(x.url), body });
  }
  return out;
}

/** Each request of `vendor` in a trace that breaks one of `rules`: `<rule id>: <method> <path>`. */
export function auditTrace<R>(
  jsonl: string,
  vendor: string,
  rules: readonly VendorRule<R>[],
  toRequest: (t: TracedRequest) => R,
): string[] {
  return tracedRequests(jsonl, vendor).flatMap((t) => {
    const broken = firstBrokenRule(rules, toRequest(t));
    return broken ? [`${broken.rule.id}: ${t.method} ${t.url.pathname}`] : [];
  });
}

// `healthscore check`: a configuration proven against the real vendors before the first run, with
// read calls only. Per configured vendor, access and mapping (its connectors/<vendor>/check.ts);
// then, on a sample of the CRM's accounts, which ones each source can join and the completeness
// the model can expect from that; then the quota one run would spend against what the vendor reports.
// Each finding is ok / note / warn / fail with one sentence saying what to do.
import { checkFor } from '../../connectors/checks.ts';
import { vendorDeploy } from '../../connectors/deploy-registry.ts';
import { requireVendor } from '../../connectors/registry.ts';
import type { CheckContext, Finding, InspectResult, JoinResult, Joins, QuotaReading, VendorCheck } from '../../connectors/shared/check.ts';
import { findingsFor } from '../../connectors/shared/check.ts';
import type { AccountRef } from '../../connectors/shared/source.ts';
import { withValueAt } from '../../connectors/shared/vendor.ts';
import { ASSUMED_VOLUMES } from '../../connectors/shared/vendor-deploy.ts';
import type { CompiledModel, CompiledModelSet } from '../../lib/model/compile.ts';
import { configuredSources, type RunConfig, type SecretSource, vendorSection } from '../run-config.ts';
import { reachableSignals } from '../source-coverage.ts';

export interface CheckOptions {
  /** CRM accounts to sample for joins and coverage (default 200). */
  sample: number;
  /** Scheduled runs a day, for the quota estimate (default 1). */
  runsPerDay: number;
  /** Above this share of sample accounts expected `unknown`, coverage warns (default 0.2). */
  maxUnknownShare: number;
  /** The instant the check's windows end at (default: now). */
  asOf?: Date;
  signal?: AbortSignal;
}

export interface JoinSummary {
  joined: number;
  of: number;
  /** Up to five sample accounts that did not join, with the reason. */
  examples: { accountId: string; reason: string }[];
  /** When the sample is every account: the vendor's live records none claims (up to five, with the reason). */
  unclaimed?: { count: number; examples: { recordId: string; reason: string }[] };
}

export interface CheckReport {
  /** 0: all ok or notes · 1: warnings · 2: a failure. */
  exitCode: 0 | 1 | 2;
  counts: Record<Finding['status'], number>;
  findings: Finding[];
  sample: { requested: number; listed: number };
  joins: Record<string, JoinSummary>;
  coverage?: { model: string; expectedCompleteness: number; unknownShare: number; signals: Record<string, number> };
  quota: Record<string, QuotaReading & { callsPerDay?: number }>;
}

/** Where each vendor's credential comes from, for the messages (an environment variable or a secret name). */
export type SecretName = (vendor: string) => string;

const share = (n: number, of: number) => (of === 0 ? 0 : Math.round((n / of) * 1000) / 1000);
const pct = (x: number) => `${Math.round(x * 100)}%`;

export async function runCheck(
  config: RunConfig,
  secrets: SecretSource,
  secretName: SecretName,
  models: CompiledModel | CompiledModelSet,
  options: CheckOptions,
): Promise<CheckReport> {
  const findings: Finding[] = [];
  const report: CheckReport = {
    exitCode: 0,
    counts: { ok: 0, note: 0, warn: 0, fail: 0 },
    findings,
    sample: { requested: options.sample, listed: 0 },
    joins: {},
    quota: {},
  };
  const vendorsToCheck = configuredSources(config);
  const checks = new Map<string, { check: VendorCheck; ctx: CheckContext; inspected: InspectResult }>();
  const sections = new Map<string, Record<string, unknown>>();
  for (const id of vendorsToCheck) {
    const finding = findingsFor(id);
    const entry = requireVendor(id);
    const ctx: CheckContext = {
      secretName: secretName(id),
      asOf: options.asOf ?? new Date(),
      ...(options.signal ? { signal: options.signal } : {}),
    };
    const secret = await secrets(id);
    if (secret === undefined) {
      findings.push(finding('access', 'fail', `no credential: set ${ctx.secretName} (${entry.secret.holds})`));
      continue;
    }
    const section = withValueAt(vendorSection(config, id), entry.secret.path, secret);
    sections.set(id, section);
    const factory = checkFor(id);
    if (!factory) {
      findings.push(finding('access', 'note', 'this vendor has no check of its own: only its secret and config were verified'));
      continue;
    }
    try {
      const check = await factory(section);
      const inspected = await check.inspect(ctx);
      findings.push(...inspected.findings);
      checks.set(id, { check, ctx, inspected });
    } catch (err) {
      options.signal?.throwIfAborted();
      findings.push(finding('access', 'fail', (err as Error).message.replace(new RegExp(`^${id}: `), '')));
    }
  }

  const usable = (id: string) => checks.has(id) && !findings.some((f) => f.vendor === id && f.area === 'access' && f.status === 'fail');
  const sample = usable(config.crm) ? await sampleAccounts(config, sections, options, findings) : [];
  report.sample.listed = sample.length;
  // The listing ended before the sample was full: the sample is every account of the CRM.
  const wholePortfolio = sample.length < options.sample;
  if (sample.length > 0) {
    const joinedBy = new Map<string, Set<string>>(sample.map((a) => [a.accountId, new Set([config.crm])]));
    for (const id of vendorsToCheck.slice(1)) {
      const c = checks.get(id);
      if (!c?.check.joins || !usable(id)) continue;
      let results: JoinResult[];
      let unclaimed: Joins['unclaimed'];
      try {
        ({ accounts: results, unclaimed } = await c.check.joins(sample, c.ctx));
      } catch (err) {
        options.signal?.throwIfAborted();
        findings.push(findingsFor(id)('joins', 'fail', `the sample could not be joined: ${(err as Error).message}`));
        continue;
      }
      const joined = results.filter((r) => r.joined);
      for (const r of joined) joinedBy.get(r.accountId)?.add(id);
      const examples = results
        .filter((r) => !r.joined)
        .slice(0, 5)
        .map((r) => ({ accountId: r.accountId, reason: r.reason ?? 'not joined' }));
      report.joins[id] = { joined: joined.length, of: results.length, examples };
      findings.push(joinFinding(id, joined.length, results.length, examples));
      // Only a sample holding every account can say a record belongs to none.
      if (wholePortfolio && unclaimed.length > 0) {
        report.joins[id].unclaimed = { count: unclaimed.length, examples: unclaimed.slice(0, 5) };
        findings.push(
          findingsFor(id)(
            'joins',
            'warn',
            `${unclaimed.length} of its live records join no CRM account, e.g. ${unclaimed
              .slice(0, 3)
              .map((r) => r.reason)
              .join('; ')}`,
          ),
        );
      }
    }
    report.coverage = coverageOf(models, sample, joinedBy);
    findings.push(...coverageFindings(report.coverage, options.maxUnknownShare));
  }

  for (const [id, c] of checks) {
    const q = c.inspected.quota;
    if (!q) continue;
    const accounts = checks.get(config.crm)?.inspected.accounts;
    const callsPerDay = accounts === undefined ? undefined : callsPerRun(id, config, accounts) * options.runsPerDay;
    report.quota[id] = { ...q, ...(callsPerDay !== undefined ? { callsPerDay } : {}) };
    findings.push(quotaFinding(id, q, callsPerDay, options.runsPerDay));
  }

  for (const f of findings) report.counts[f.status]++;
  report.exitCode = report.counts.fail > 0 ? 2 : report.counts.warn > 0 ? 1 : 0;
  return report;
}

/** The first `options.sample` accounts in scope the CRM lists (read calls only). */
async function sampleAccounts(
  config: RunConfig,
  sections: Map<string, Record<string, unknown>>,
  options: CheckOptions,
  findings: Finding[],
): Promise<AccountRef[]> {
  const entry = requireVendor(config.crm);
  if (entry.kind !== 'crm') return [];
  const crm = await entry.createCrm(sections.get(config.crm) ?? {});
  // What the run would warn about soon though nothing fails yet (e.g. a certificate about to expire).
  for (const w of crm.configWarnings?.(options.asOf ?? new Date()) ?? []) findings.push(findingsFor(config.crm)('access', 'warn', w));
  // Only customers are scored: prospects and former customers would only add joins that cannot exist.
  const out: AccountRef[] = [];
  let listed = 0;
  for await (const page of crm.listAccounts(options.signal ? { signal: options.signal } : {})) {
    listed += page.accounts.length;
    out.push(...page.accounts.filter((a) => a.scope?.in !== false));
    if (out.length >= options.sample) break;
  }
  if (listed > 0 && out.length === 0)
    findings.push(
      findingsFor(config.crm)(
        'mapping',
        'fail',
        `none of the ${listed} accounts listed is in the account scope: nothing would be scored; correct the scope in the ${config.crm} section of the config`,
      ),
    );
  return out.slice(0, options.sample);
}

function joinFinding(id: string, joined: number, of: number, examples: JoinSummary['examples']): Finding {
  const finding = findingsFor(id);
  const head = `${joined} of ${of} sample accounts (${pct(share(joined, of))}) join a record`;
  if (joined === of) return finding('joins', 'ok', head);
  const why = examples.map((e) => `${e.accountId}: ${e.reason}`).join('; ');
  return finding('joins', 'warn', `${head}: the others get no signals from it; not joined, e.g. ${why}`);
}

function coverageOf(
  models: CompiledModel | CompiledModelSet,
  sample: readonly AccountRef[],
  joinedBy: Map<string, Set<string>>,
): NonNullable<CheckReport['coverage']> {
  // Accounts past onboarding are scored by the set's default model: the one most accounts meet.
  const model = 'fallback' in models ? models.fallback : models;
  const counts = new Map(model.signals.map((s) => [s.key, 0]));
  let total = 0;
  let unknown = 0;
  for (const a of sample) {
    const keys = reachableSignals([...(joinedBy.get(a.accountId) ?? [])]);
    let completeness = 0;
    for (const s of model.signals) {
      if (!keys.has(s.key)) continue;
      counts.set(s.key, (counts.get(s.key) ?? 0) + 1);
      completeness += s.fullShare;
    }
    total += completeness;
    if (completeness + 1e-9 < model.minCompleteness) unknown++;
  }
  return {
    model: model.id,
    expectedCompleteness: share(total, sample.length),
    unknownShare: share(unknown, sample.length),
    signals: Object.fromEntries([...counts].map(([k, n]) => [k, share(n, sample.length)])),
  };
}

function coverageFindings(c: NonNullable<CheckReport['coverage']>, maxUnknown: number): Finding[] {
  const finding = findingsFor('model');
  const out: Finding[] = [];
  const never = Object.entries(c.signals)
    .filter(([, s]) => s === 0)
    .map(([k]) => k);
  if (never.length > 0)
    out.push(
      finding(
        'coverage',
        'warn',
        `no sample account can get ${never.join(', ')} from the configured sources and joins: map the missing ids or add the sources`,
      ),
    );
  const head = `model ${c.model}: expected completeness at most ${pct(c.expectedCompleteness)} on the sample, ${pct(c.unknownShare)} of accounts would be unknown`;
  out.push(
    c.unknownShare > maxUnknown
      ? finding('coverage', 'warn', `${head} (above ${pct(maxUnknown)}): fix the joins above or choose a model these sources can fill`)
      : finding('coverage', 'ok', head),
  );
  return out;
}

/** What one run of this portfolio spends of the vendor's allowance, from its deploy entry (the same estimate the stack checks a schedule with). */
function callsPerRun(id: string, config: RunConfig, accounts: number): number {
  const allowance = vendorDeploy(id).allowance;
  if (!allowance) return 0;
  const perBatch = vendorDeploy(config.crm).callsPerBatch?.(config.batchSize, ASSUMED_VOLUMES) ?? 0;
  return allowance.callsPerRun(accounts, config.batchSize, perBatch);
}

function quotaFinding(id: string, q: QuotaReading, callsPerDay: number | undefined, runsPerDay: number): Finding {
  const finding = findingsFor(id);
  const reading = `${q.remaining} of ${q.limit} requests a ${q.per} left (${q.from})`;
  if (q.per !== 'day' || callsPerDay === undefined) return finding('quota', 'note', reading);
  const plan = `${runsPerDay} run${runsPerDay === 1 ? '' : 's'} a day of this portfolio spend about ${callsPerDay}`;
  if (callsPerDay > q.limit)
    return finding('quota', 'fail', `${reading}; ${plan}, more than the whole allowance: run less often or raise the allowance`);
  if (callsPerDay > q.limit / 2)
    return finding('quota', 'warn', `${reading}; ${plan}, over half the allowance other integrations share: consider fewer runs a day`);
  return finding('quota', 'ok', `${reading}; ${plan}`);
}

// `healthscore demo` (what `npm start` runs): the whole pipeline on this machine — vendor fakes
// seeded with a deterministic demo portfolio, dynalite as the table — over simulated days, then
// the portfolio printed and out/report.html written.
import { relative } from 'node:path';
import { churnedOn, runDemo } from '../../pipeline/demo/run-demo.ts';
import { buildPortfolio, topMovers, weeklyTiers } from '../../pipeline/report/portfolio.ts';
import { topDriverTexts } from '../../pipeline/run/deliver.ts';
import { type Command, crmOption, EXIT_OK, parseCommandArgs, positiveOption } from '../command.ts';

const usage = `
Usage: healthscore demo [--crm hubspot|salesforce] [--accounts N] [--days N] [--model M] [--out DIR]

Runs the real pipeline against local fakes of HubSpot (or Salesforce), Stripe, Zendesk, Mixpanel and
Slack, with DynamoDB as dynalite, over simulated days; prints the portfolio and writes DIR/report.html.

Options:
  --crm        hubspot (default) or salesforce
  --accounts   demo accounts (default 200)
  --days       simulated days (default 60)
  --model      preset, model set or model file (default portfolio)
  --out        output folder for report.html, unmatched.csv and the local store (default out)
`;

function progressBar(done: number, total: number, width = 30): string {
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run the whole pipeline on a local demo portfolio (what npm start runs)',
  usage,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      crm: { type: 'string', default: 'hubspot' },
      accounts: { type: 'string', default: '200' },
      days: { type: 'string', default: '60' },
      model: { type: 'string', default: 'portfolio' },
      out: { type: 'string', default: 'out' },
    });
    const crm = crmOption(values.crm);
    const accounts = positiveOption('accounts', values.accounts, 20_000);
    const days = positiveOption('days', values.days, 400);
    const started = performance.now();
    const tty = process.stderr.isTTY;
    process.stderr.write(`healthscore demo: ${accounts} accounts, ${days} simulated days, CRM ${crm}, model ${values.model}\n`);
    const demo = await runDemo({
      crm,
      accounts,
      days,
      model: values.model,
      outDir: values.out,
      onDay: (done, total, s) => {
        const line = `${progressBar(done, total)} day ${String(done).padStart(3)}/${total} ${s.day} · ${s.tiers.green} green ${s.tiers.yellow} yellow ${s.tiers.red} red · ${s.writes.written} writes · ${Object.values(s.alerts).reduce((a, b) => a + b, 0)} alerts · ${((performance.now() - started) / 1000).toFixed(0)} s`;
        if (tty) process.stderr.write(`\r${line}`);
        else if (done === total || done % 10 === 0) process.stderr.write(`${line}\n`);
      },
    });
    try {
      if (tty) process.stderr.write('\n');
      const records = [];
      for await (const r of demo.store.allDays()) records.push(r);
      const portfolio = buildPortfolio(records, demo.names, churnedOn(demo.outcomes));
      const out: string[] = [];
      out.push('', 'Tier counts by week (confirmed tiers)', '  day          green  yellow  red  unknown');
      for (const w of weeklyTiers(portfolio))
        out.push(
          `  ${w.day}  ${String(w.tiers.green).padStart(5)}  ${String(w.tiers.yellow).padStart(6)}  ${String(w.tiers.red).padStart(3)}  ${String(w.tiers.unknown).padStart(7)}`,
        );
      out.push('', 'Top movers');
      for (const m of topMovers(portfolio, 8)) {
        out.push(
          `  ${m.series.name.padEnd(26)} ${String(m.from).padStart(3)} → ${String(m.to).padEnd(3)} (${m.change > 0 ? '+' : ''}${m.change})  ${topDriverTexts(m.series.latest.drivers, 2).join('; ')}`,
        );
      }
      const byPlaybook = new Map<string, number>();
      for (const a of demo.alerts) byPlaybook.set(a.playbook, (byPlaybook.get(a.playbook) ?? 0) + 1);
      out.push(
        '',
        `Alerts fired: ${demo.alerts.length} (${[...byPlaybook].map(([k, v]) => `${k} ${v}`).join(', ')}), each once: a CRM task and a Slack message`,
      );
      for (const a of demo.alerts.slice(-8)) out.push(`  ${a.day}  ${a.title}`);
      const last = demo.summaries.at(-1);
      const writes = demo.summaries.reduce((s, x) => s + x.writes.written, 0);
      out.push(
        '',
        `CRM write-backs over ${days} days: ${writes} (only changed values; last day: ${last?.writes.written ?? 0} of ${last?.scored ?? 0} accounts)`,
      );
      const byDomain = Object.entries(last?.matchedByDomain ?? {}).map(([k, v]) => `${k} ${v}`);
      const unclaimed = demo.unmatchedRows.filter((r) => r.side === 'record');
      out.push(
        `Identity: the CRM holds no Stripe or Zendesk ids, so accounts were joined by domain (${byDomain.join(', ') || 'none'}); unmatched: ${demo.unmatchedRows.length - unclaimed.length} accounts, ${unclaimed.length} vendor records, each with its reason in ${relative(process.cwd(), demo.unmatchedPath)}`,
      );
      for (const r of unclaimed.slice(0, 3)) out.push(`  ${r.source} ${r.id}: ${r.reason}`);
      out.push(
        `Report: ${relative(process.cwd(), demo.reportPath)}   ·   finished in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      const kinds = new Map<string, number>();
      for (const x of demo.outcomes) kinds.set(x.kind, (kinds.get(x.kind) ?? 0) + 1);
      out.push(
        `Customers only: ${demo.outOfScope} CRM records are outside the account scope and not scored (prospects, partners, former customers${demo.world.cleanup ? ', and the customer a clean-up moved out' : ''})`,
        `Outcomes the runs recorded: ${demo.outcomes.length} (${[...kinds].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}); churned accounts show "churned" in the CRM with their last score, frozen`,
      );
      for (const x of demo.outcomes.filter((y) => y.kind === 'churned').slice(0, 3))
        out.push(`  ${x.date}  ${demo.names.get(x.accountId) ?? x.accountId} churned: ${x.evidence}`);
      out.push(
        `Backtest the demo on those outcomes: npx healthscore backtest --from-store ${relative(process.cwd(), demo.storePath)} --model ${values.model} --horizons 30`,
      );
      process.stdout.write(`${out.join('\n')}\n`);
    } finally {
      await demo.close();
    }
    return EXIT_OK;
  },
};

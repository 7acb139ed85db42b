// `npm start` runs `healthscore demo`: the whole pipeline on local fakes, then the portfolio on the
// terminal and a static HTML report. Small portfolios here; the default size is timed by hand.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

describe('healthscore demo', () => {
  for (const crm of ['hubspot', 'salesforce']) {
    it(`given --crm ${crm}, when the demo runs, then it prints the portfolio, leaves non-customers out and writes a self-contained report`, async () => {
      const out = mkdtempSync(join(tmpdir(), `healthscore-demo-${crm}-`));
      const { code, stdout, stderr } = await runCli(['demo', '--crm', crm, '--accounts', '24', '--days', '4', '--out', out]);
      expect(stderr).toMatch(/day {3}4\/4/);
      expect(code).toBe(0);
      expect(stdout).toMatch(/Tier counts by week/);
      expect(stdout).toMatch(/Top movers/);
      expect(stdout).toMatch(/Alerts fired: \d+/);
      const report = readFileSync(join(out, 'report.html'), 'utf8');
      expect(report).toMatch(/<svg/);
      expect(report).not.toMatch(/(src|href)="https?:/);
      expect(report.match(/<tr><td>/g)?.length).toBeGreaterThanOrEqual(24);
      // Prospects, partners and former customers are in the CRM and never scored.
      expect(stdout).toMatch(
        /Customers only: 7 CRM records are outside the account scope and not scored \(prospects, partners, former customers, and the customer a clean-up moved out\)/,
      );
      expect(stdout).toMatch(/Outcomes the runs recorded: \d+/);
      expect(existsSync(join(out, 'demo-store'))).toBe(true);
      // No Stripe or Zendesk id is mapped: every customer (24, less the one the clean-up moved out) is joined by
      // domain; the free-mail customer is listed, not matched, and so are the Stripe customer and the Zendesk
      // organization of the customer moved out of the scope (it still pays: a record for RevOps to look at).
      expect(stdout).toMatch(/joined by domain \(stripe 23, zendesk 23\); unmatched: 0 accounts, 3 vendor records/);
      const csv = readFileSync(join(out, 'unmatched.csv'), 'utf8').trim().split('\n');
      expect(csv).toEqual([
        'side,source,id,reason',
        'record,stripe,cus_demo00002,"Stripe customer cus_demo00002 (Initech Labs, billing@initech-labs.example): no CRM account has the domain initech-labs.example or this id in stripeCustomerId; map stripeCustomerId on its CRM account to join it"',
        'record,stripe,cus_demo_freemail,"Stripe customer cus_demo_freemail (Robin Freelance, robin.freelance@gmail.com) uses the free-mail domain gmail.com, which never matches; map stripeCustomerId on its CRM account to join it"',
        'record,zendesk,360002,Zendesk organization 360002 (Initech Labs): no CRM account has the domain initech-labs.example or this id in zendeskOrganizationId; map zendeskOrganizationId on its CRM account to join it',
      ]);
    });
  }

  it('given a bad option, then a usage error and exit 2', async () => {
    const { code, stderr } = await runCli(['demo', '--crm', 'pipedrive']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--crm must be hubspot or salesforce/);
  });
});

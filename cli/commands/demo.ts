// `healthscore demo` (what `npm start` runs): scores a deterministic demo portfolio with a preset
// and prints the table, so a new user sees scores, tiers and drivers with no accounts anywhere.

import { scoreAccount } from '../../lib/scoring/engine.ts';
import { syntheticSnapshots } from '../../lib/synthetic.ts';
import { loadModel } from '../../pipeline/model-files.ts';
import { type Command, EXIT_OK, parseCommandArgs, UsageError } from '../command.ts';
import { tableHeader, tableRow } from '../output.ts';

const usage = `
Usage: healthscore demo [--model <preset|file>] [--accounts N]

Scores a deterministic demo portfolio and prints each account's score, tier and top drivers.

Options:
  --model, -m     a preset or model file (default: layered)
  --accounts, -n  how many demo accounts (default: 20)
`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'score a demo portfolio and print the table (what npm start runs)',
  usage,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      model: { type: 'string', short: 'm', default: 'layered' },
      accounts: { type: 'string', short: 'n', default: '20' },
    });
    const count = Number(values.accounts);
    if (!Number.isInteger(count) || count < 1) throw new UsageError(`--accounts must be a positive whole number, not '${values.accounts}'`);
    const models = loadModel(values.model);
    const tiers: Record<string, number> = { green: 0, yellow: 0, red: 0, unknown: 0 };
    let out = tableHeader();
    for (const snap of syntheticSnapshots(count)) {
      const r = scoreAccount(models, snap);
      tiers[r.tier] = (tiers[r.tier] ?? 0) + 1;
      out += tableRow(r);
    }
    out += `\n${count} accounts: ${Object.entries(tiers)
      .map(([t, n]) => `${n} ${t}`)
      .join(' · ')}\n`;
    process.stdout.write(out);
    return EXIT_OK;
  },
};

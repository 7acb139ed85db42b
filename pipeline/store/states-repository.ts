// Each account's state between runs (pk ACCOUNT#id, sk STATE): recent days, the CRM values last
// written, alerts still owed, and each source's last signals.
import { accountState, parseItem } from './record-schemas.ts';
import type { AccountState } from './records.ts';
import { keyOf, strip, type Table } from './table.ts';

export class StatesRepository {
  private readonly table: Table;

  constructor(table: Table) {
    this.table = table;
  }

  async getStates(accountIds: readonly string[]): Promise<Map<string, AccountState>> {
    const items = await this.table.batchGet(accountIds.map((id) => ({ pk: `ACCOUNT#${id}`, sk: 'STATE' })));
    return new Map(items.map((i) => parseItem(accountState, strip(i), keyOf(i))).map((s) => [s.accountId, s]));
  }

  async putStates(states: readonly AccountState[]): Promise<void> {
    await this.table.batchWrite(states.map((s) => ({ pk: `ACCOUNT#${s.accountId}`, sk: 'STATE', ...s })));
  }
}

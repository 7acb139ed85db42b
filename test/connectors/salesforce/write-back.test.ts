import { afterEach, describe, expect, it } from 'vitest';
import type { ScoreWrite } from '../../../connectors/shared/crm.ts';
import { type Org, patchCalls, plainAccounts, scoreOf, startOrg } from './support.ts';

let org: Org | undefined;
afterEach(async () => {
  await org?.fake.close();
  org = undefined;
});

async function orgWithAccounts(count: number): Promise<{ org: Org; ids: string[] }> {
  org = await startOrg();
  const ids = [...org.fake.seedAccounts(plainAccounts(count)).values()];
  await org.connector.setup();
  return { org, ids };
}

const rowsFor = (ids: string[], previous?: (i: number) => ScoreWrite['previous']): ScoreWrite[] =>
  ids.map((accountId, i) => ({ accountId, values: scoreOf(i % 101), previous: previous?.(i) }));

const serverError = {
  kind: 'status',
  status: 503,
  body: [{ message: 'Server temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' }],
} as const;

describe('Salesforce score write-back', () => {
  it('given 250 accounts never written, when scores are written, then it takes 2 collections calls and every account holds its values', async () => {
    const { org, ids } = await orgWithAccounts(250);
    const report = await org.connector.writeScores(rowsFor(ids));
    expect(report.calls).toBe(2);
    expect(patchCalls(org.fake)).toHaveLength(2);
    expect(report.outcomes.every((o) => o.status === 'written')).toBe(true);
    expect(report.outcomes[7]).toMatchObject({ accountId: ids[7], written: scoreOf(7) });
    expect(org.fake.account(ids[42] as string)).toMatchObject({
      Health_Score__c: 42,
      Health_Tier__c: 'yellow',
      Health_Drivers__c: 'Usage down 32% vs prior 14 days (-24 pts)',
      Health_Change_7d__c: -3,
      Health_Change_30d__c: 5,
      Health_Completeness__c: 0.85,
      Health_Flags__c: null,
      Health_Model__c: 'layered@1',
      Health_Updated_At__c: '2026-03-01T06:00:00.000Z',
    });
  });

  it('given scores identical to what was last written, when written again, then no call is made and every row is unchanged', async () => {
    const { org, ids } = await orgWithAccounts(250);
    const first = await org.connector.writeScores(rowsFor(ids));
    const again = await org.connector.writeScores(rowsFor(ids, (i) => first.outcomes[i]?.written));
    expect(again.calls).toBe(0);
    expect(again.outcomes.every((o) => o.status === 'unchanged')).toBe(true);
    expect(patchCalls(org.fake)).toHaveLength(2);
  });

  it('given only the score changed, when written, then the other fields are not sent (an admin edit to drivers survives)', async () => {
    const { org, ids } = await orgWithAccounts(3);
    const first = await org.connector.writeScores(rowsFor(ids));
    const id = ids[1] as string;
    org.fake.edit('Account', id, { Health_Drivers__c: 'Edited by an admin' });
    const previous = first.outcomes[1]?.written;
    const report = await org.connector.writeScores([
      { accountId: id, values: scoreOf(80, { updatedAt: '2026-03-02T06:00:00.000Z' }), previous },
    ]);
    expect(report.outcomes[0]?.status).toBe('written');
    expect(org.fake.account(id)).toMatchObject({ Health_Score__c: 80, Health_Tier__c: 'green', Health_Drivers__c: 'Edited by an admin' });
  });

  it('given a validation rule rejecting one record inside a collections call, when written, then exactly that record is rejected with the vendor message and the rest are written', async () => {
    const { org, ids } = await orgWithAccounts(10);
    const bad = ids[6] as string;
    org.fake.failRecord(bad, {
      statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Health fields are locked while the account is in legal hold',
    });
    const report = await org.connector.writeScores(rowsFor(ids));
    expect(report.calls).toBe(1);
    expect(report.outcomes.filter((o) => o.status !== 'written')).toEqual([
      {
        accountId: bad,
        status: 'rejected',
        reason: 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Health fields are locked while the account is in legal hold',
      },
    ]);
    expect(org.fake.updatesOf(bad)).toBe(0);
    expect(org.fake.account(ids[7] as string)?.Health_Score__c).toBe(7);
  });

  it('given a value Salesforce refuses (a tier outside the picklist), when written, then that record is rejected with the restricted-picklist message', async () => {
    const { org, ids } = await orgWithAccounts(2);
    const rows = rowsFor(ids);
    rows[0] = { accountId: ids[0] as string, values: scoreOf(10, { tier: 'purple' as never }), previous: undefined };
    const report = await org.connector.writeScores(rows);
    expect(report.outcomes[0]).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: .*purple/),
    });
    expect(report.outcomes[1]?.status).toBe('written');
  });

  it('given two 503 answers, when 250 scores are written, then the client waits them out and every record lands exactly once', async () => {
    const { org, ids } = await orgWithAccounts(250);
    org.fake.server.inject({ match: (req) => req.method === 'PATCH', times: 2, fault: serverError });
    const report = await org.connector.writeScores(rowsFor(ids));
    expect(report.outcomes.every((o) => o.status === 'written')).toBe(true);
    expect(report.calls).toBe(4);
    expect(ids.every((id) => org.fake.updatesOf(id) === 1)).toBe(true);
  });

  it('given one record that makes every call holding it fail, when written, then the batch is split to isolate it and all others are written once', async () => {
    const { org, ids } = await orgWithAccounts(200);
    const poison = ids[123] as string;
    org.fake.server.inject({
      match: (req) => req.method === 'PATCH' && req.body.includes(poison),
      fault: {
        kind: 'status',
        status: 500,
        body: [{ message: 'An unexpected error occurred. Please include this ErrorId: 1838-29', errorCode: 'UNKNOWN_EXCEPTION' }],
      },
    });
    const report = await org.connector.writeScores(rowsFor(ids));
    const notWritten = report.outcomes.filter((o) => o.status !== 'written');
    expect(notWritten).toEqual([{ accountId: poison, status: 'failed', reason: expect.stringMatching(/UNKNOWN_EXCEPTION/) }]);
    expect(ids.filter((id) => id !== poison).every((id) => org.fake.updatesOf(id) === 1)).toBe(true);
    expect(report.calls).toBeLessThan(60);
  });
});

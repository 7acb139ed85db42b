// Writing the score back to HubSpot through the real SDK against the fake: the property group and
// properties created once, only changed values sent in batches of 100, per-record outcomes for
// partial failures, batch-level rejections isolated by splitting, tasks on the company, record links.
import { afterEach, describe, expect, it } from 'vitest';
import type { ScoreWrite } from '../../../connectors/shared/crm.ts';
import { ConfigError, TransientError } from '../../../connectors/shared/errors.ts';
import { connect, fake, type HubSpotFake, plainAccounts, scoreValues } from './support.ts';

let f: HubSpotFake;
afterEach(async () => {
  await f?.close();
});

const writes = (ids: Iterable<string>, score = 72): ScoreWrite[] =>
  [...ids].map((accountId) => ({ accountId, values: scoreValues(score), previous: undefined }));
const updateCalls = () => f.server.calls('POST', '/crm/v3/objects/companies/batch/update');

describe('setup', () => {
  it('given a fresh portal, when setup runs twice, then the group and ten properties are created once and the second run changes nothing', async () => {
    f = await fake();
    const connector = connect(f);
    const first = await connector.setup();
    expect(first.created).toEqual([
      'group:healthscore',
      'healthscore_score',
      'healthscore_tier',
      'healthscore_drivers',
      'healthscore_change_7d',
      'healthscore_change_30d',
      'healthscore_completeness',
      'healthscore_flags',
      'healthscore_model',
      'healthscore_last_change',
      'healthscore_updated_at',
    ]);
    expect(f.propertyGroup('healthscore')).toMatchObject({ label: 'Health score' });
    const byName = new Map(f.properties().map((p) => [p.name, p]));
    expect(byName.get('healthscore_tier')).toMatchObject({ type: 'enumeration', fieldType: 'select', groupName: 'healthscore' });
    expect(byName.get('healthscore_tier')?.options.map((o) => o.value)).toEqual(['green', 'yellow', 'red', 'unknown', 'churned']);
    expect(byName.get('healthscore_drivers')).toMatchObject({ type: 'string', fieldType: 'textarea' });
    expect(byName.get('healthscore_updated_at')).toMatchObject({ type: 'datetime', fieldType: 'date' });
    expect(byName.get('healthscore_score')).toMatchObject({ type: 'number', fieldType: 'number' });

    const writesBefore = f.server.log.filter((r) => r.method !== 'GET').length;
    const second = await connector.setup();
    expect(second.created).toEqual([]);
    expect(second.updated).toEqual([]);
    // The group, ten score properties, and the three override properties the CSM fills in.
    expect(second.unchanged).toHaveLength(14);
    expect(f.server.log.filter((r) => r.method !== 'GET').length).toBe(writesBefore);
  });

  it('given a portal without the CSM override properties, when setup runs, then they are created so overrides work out of the box', async () => {
    f = await fake();
    const companies = f.store.properties.get('companies');
    for (const name of ['healthscore_override_score', 'healthscore_override_reason', 'healthscore_override_expires'])
      companies?.delete(name);
    const report = await connect(f).setup();
    expect(report.created).toEqual(
      expect.arrayContaining(['healthscore_override_score', 'healthscore_override_reason', 'healthscore_override_expires']),
    );
    const byName = new Map(f.properties().map((p) => [p.name, p]));
    expect(byName.get('healthscore_override_score')).toMatchObject({ type: 'number' });
    expect(byName.get('healthscore_override_reason')).toMatchObject({ type: 'string', fieldType: 'textarea' });
    expect(byName.get('healthscore_override_expires')).toMatchObject({ type: 'date', fieldType: 'date' });
  });

  it('given a tier property missing the unknown option, when setup runs, then the option is added and the property reported updated', async () => {
    f = await fake();
    await connect(f).setup();
    const tier = f.properties().find((p) => p.name === 'healthscore_tier');
    if (tier) tier.options = tier.options.filter((o) => o.value !== 'unknown');
    const report = await connect(f).setup();
    expect(report.updated).toEqual(['healthscore_tier']);
    expect(
      f
        .properties()
        .find((p) => p.name === 'healthscore_tier')
        ?.options.map((o) => o.value),
    ).toContain('unknown');
  });

  it('given a same-named property of another type, when setup runs, then a ConfigError says what to fix', async () => {
    f = await fake();
    f.store.defineProperty('companies', { name: 'healthscore_score', type: 'string', fieldType: 'text' });
    await expect(connect(f).setup()).rejects.toThrow(/healthscore_score exists with type string.*rename or delete it/);
  });
});

describe('writeScores', () => {
  it('given 250 accounts with new scores, when written, then 3 batch calls of at most 100 and every record written', async () => {
    f = await fake();
    const ids = f.seedAccounts(plainAccounts(250));
    const connector = connect(f);
    await connector.setup();
    const report = await connector.writeScores(writes(ids.values()));
    expect(report.calls).toBe(3);
    expect(updateCalls()).toHaveLength(3);
    expect(report.outcomes.every((o) => o.status === 'written')).toBe(true);
    const first = ids.get('acct-0') as string;
    expect(f.companyProperties(first)).toMatchObject({
      healthscore_score: '72',
      healthscore_tier: 'green',
      healthscore_completeness: '0.85',
      healthscore_model: 'layered@1',
      healthscore_updated_at: '2026-03-01T06:00:00.000Z',
    });
  });

  it('given the values last written, when the same scores are written again, then zero write calls and every record unchanged', async () => {
    f = await fake();
    const ids = f.seedAccounts(plainAccounts(120));
    const connector = connect(f);
    await connector.setup();
    const first = await connector.writeScores(writes(ids.values()));
    const again = first.outcomes.map((o) => ({ accountId: o.accountId, values: scoreValues(72), previous: o.written }));
    const before = updateCalls().length;
    const report = await connector.writeScores(again);
    expect(report.calls).toBe(0);
    expect(updateCalls().length).toBe(before);
    expect(report.outcomes.every((o) => o.status === 'unchanged')).toBe(true);
  });

  it('given one changed score among unchanged ones, when written, then only the changed properties of that record are sent', async () => {
    f = await fake();
    const ids = [...f.seedAccounts(plainAccounts(3)).values()];
    const connector = connect(f);
    await connector.setup();
    const previous = scoreValues(72);
    const rows: ScoreWrite[] = ids.map((accountId, i) => ({
      accountId,
      values: i === 1 ? scoreValues(60, { updatedAt: '2026-03-02T06:00:00.000Z' }) : previous,
      previous,
    }));
    const report = await connector.writeScores(rows);
    expect(report.outcomes.map((o) => o.status)).toEqual(['unchanged', 'written', 'unchanged']);
    expect(report.calls).toBe(1);
    const props = f.companyProperties(ids[1] as string);
    expect(props.healthscore_score).toBe('60');
    expect(props.healthscore_tier).toBe('yellow');
    expect(props).not.toHaveProperty('healthscore_model'); // unchanged, so never sent
  });

  it('given a 207 with one record rejected, when written, then exactly that record is rejected with HubSpot’s message and the rest written', async () => {
    f = await fake();
    const ids = [...f.seedAccounts(plainAccounts(5)).values()];
    const connector = connect(f);
    await connector.setup();
    f.rejectUpdates(ids[2] as string, 'Property "healthscore_score" is read-only for this record');
    const report = await connector.writeScores(writes(ids));
    expect(report.calls).toBe(1);
    expect(report.outcomes.map((o) => o.status)).toEqual(['written', 'written', 'rejected', 'written', 'written']);
    expect(report.outcomes[2]?.reason).toMatch(/Property "healthscore_score" is read-only for this record/);
    for (const id of [0, 1, 3, 4]) expect(f.updateCount(ids[id] as string)).toBe(1);
    expect(f.updateCount(ids[2] as string)).toBe(0);
  });

  it('given a company deleted since it was listed, when written, then it is rejected as not found and the others land', async () => {
    f = await fake();
    const ids = [...f.seedAccounts(plainAccounts(3)).values()];
    const connector = connect(f);
    await connector.setup();
    f.deleteCompany(ids[0] as string);
    const report = await connector.writeScores(writes(ids));
    expect(report.outcomes[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/OBJECT_NOT_FOUND/) });
    expect(report.outcomes.slice(1).map((o) => o.status)).toEqual(['written', 'written']);
  });

  it('given one record whose value makes HubSpot refuse the whole batch (400), when written, then the batch is split until that record alone is rejected', async () => {
    f = await fake();
    const ids = [...f.seedAccounts(plainAccounts(8)).values()];
    const connector = connect(f);
    await connector.setup();
    const rows = writes(ids);
    (rows[5] as ScoreWrite).values = scoreValues(55, { tier: 'purple' as never });
    const report = await connector.writeScores(rows);
    expect(report.outcomes.map((o) => o.status)).toEqual([
      'written',
      'written',
      'written',
      'written',
      'written',
      'rejected',
      'written',
      'written',
    ]);
    expect(report.outcomes[5]?.reason).toMatch(/purple was not one of the allowed options/);
    for (const [i, id] of ids.entries()) expect(f.updateCount(id)).toBe(i === 5 ? 0 : 1);
    // 1 full batch + 2 halves + 2 quarters + 2 eighths
    expect(report.calls).toBe(7);
  });

  it('given HubSpot refuses every record (an option deleted in the portal), when 100 are written, then splitting stops at its cap and nothing is written', async () => {
    f = await fake();
    const ids = f.seedAccounts(plainAccounts(100));
    const connector = connect(f);
    await connector.setup();
    const rows = writes(ids.values()).map((r) => ({ ...r, values: scoreValues(20, { tier: 'crimson' as never }) }));
    const report = await connector.writeScores(rows);
    expect(report.calls).toBe(1 + 2 * 16);
    expect(report.outcomes.filter((o) => o.status === 'written')).toEqual([]);
    expect(report.outcomes.filter((o) => o.status === 'rejected').length).toBeGreaterThan(0);
    expect(report.outcomes.find((o) => o.status === 'failed')?.reason).toMatch(/not isolated within 16 splits/);
  });

  it('given the properties were never set up, when written, then a ConfigError says to run setup (no split storm)', async () => {
    f = await fake();
    const ids = f.seedAccounts(plainAccounts(100));
    const err = await connect(f)
      .writeScores(writes(ids.values()))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/run setup first/);
    expect(updateCalls()).toHaveLength(1);
  });

  it('given HubSpot answers 500 twice, when written, then the batch is retried and every record lands once', async () => {
    f = await fake();
    const ids = [...f.seedAccounts(plainAccounts(10)).values()];
    const connector = connect(f);
    await connector.setup();
    f.server.inject({ match: (r) => r.path.endsWith('/batch/update'), times: 2, fault: { kind: 'status', status: 500 } });
    const report = await connector.writeScores(writes(ids));
    expect(report.outcomes.every((o) => o.status === 'written')).toBe(true);
    expect(report.calls).toBe(3);
    for (const id of ids) expect(f.updateCount(id)).toBe(1);
  });

  it('given HubSpot answers 500 to any batch holding one record, when written, then after retries the batch is split until only that record fails', async () => {
    f = await fake();
    const ids = [...f.seedAccounts(plainAccounts(8)).values()];
    const connector = connect(f, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    await connector.setup();
    const poison = ids[6] as string;
    f.server.inject({
      match: (r) => r.path.endsWith('/batch/update') && r.body.includes(`"${poison}"`),
      fault: { kind: 'status', status: 500 },
    });
    const report = await connector.writeScores(writes(ids));
    expect(report.outcomes.map((o) => o.status)).toEqual([
      'written',
      'written',
      'written',
      'written',
      'written',
      'written',
      'failed',
      'written',
    ]);
    expect(report.outcomes[6]?.reason).toMatch(/HubSpot answered 500/);
    for (const [i, id] of ids.entries()) expect(f.updateCount(id)).toBe(i === 6 ? 0 : 1);
    // full batch: 3 attempts; then halves [0-3] ok, [4-7] 2 attempts, [4-5] ok, [6-7] 2 attempts, [6] 2 attempts, [7] ok
    expect(report.calls).toBe(3 + 1 + 2 + 1 + 2 + 2 + 1);
  });

  it('given HubSpot is unavailable (503), when written, then the batch fails after its retries without splitting', async () => {
    f = await fake();
    const ids = [...f.seedAccounts(plainAccounts(8)).values()];
    const connector = connect(f, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    await connector.setup();
    f.server.inject({ match: (r) => r.path.endsWith('/batch/update'), fault: { kind: 'status', status: 503 } });
    const report = await connector.writeScores(writes(ids));
    expect(report.outcomes.every((o) => o.status === 'failed')).toBe(true);
    expect(report.calls).toBe(3);
  });
});

describe('tasks and links', () => {
  it('given an alert, when a task is created, then it is associated with the company, owned by the account owner, due that day, with its priority', async () => {
    f = await fake();
    const ids = f.seedAccounts([{ key: 'acme', name: 'Acme', domain: 'acme.example', ownerEmail: 'owner@vendor.example' }]);
    const companyId = ids.get('acme') as string;
    const { id } = await connect(f).createTask({
      accountId: companyId,
      title: 'Health dropped to red',
      body: 'Champion departed: score capped at 40',
      dueDate: '2026-03-05',
      priority: 'high',
    });
    expect(f.tasks()).toEqual([
      {
        id,
        companyIds: [companyId],
        properties: expect.objectContaining({
          hs_task_subject: 'Health dropped to red',
          hs_task_body: 'Champion departed: score capped at 40',
          hs_task_priority: 'HIGH',
          hs_task_status: 'NOT_STARTED',
          hubspot_owner_id: f.store.ownerId('owner@vendor.example'),
          hs_timestamp: '2026-03-05T12:00:00.000Z',
        }),
      },
    ]);
  });

  it('given the connection drops while a task is created, when created, then it is not retried blindly (it may exist) and the error is transient', async () => {
    f = await fake();
    const ids = f.seedAccounts([{ key: 'acme', name: 'Acme', domain: 'acme.example' }]);
    f.server.inject({ match: (r) => r.path === '/crm/v3/objects/tasks', times: 1, fault: { kind: 'drop' } });
    const task = {
      accountId: ids.get('acme') as string,
      ownerId: '7',
      title: 't',
      body: 'b',
      dueDate: '2026-03-05',
      priority: 'low' as const,
    };
    await expect(connect(f).createTask(task)).rejects.toBeInstanceOf(TransientError);
    expect(f.server.calls('POST', '/crm/v3/objects/tasks')).toHaveLength(1);
  });

  it('given a portal id, when a record link is asked for, then it opens the company in HubSpot', () => {
    const connector = connect({ token: 'pat-na1-x', url: 'http://127.0.0.1:1' } as HubSpotFake, { portalId: 4242 });
    expect(connector.recordUrl('123')).toBe('https://app.hubspot.com/contacts/4242/record/0-2/123');
  });
});

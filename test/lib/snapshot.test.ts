// Snapshots are validated against the catalog: unknown keys pass, a known key with a wrong type is
// a data error naming the account, the key and the value.
import { describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../lib/signals/snapshot.ts';

describe('AccountSnapshot', () => {
  it('given a snapshot with a connector-specific key, then it is accepted as is', () => {
    const s = parseSnapshot({ accountId: 'acme', asOf: '2026-11-01', signals: { 'stripe.seats': 40, 'usage.trend14d': -0.2 } });
    expect(s.signals['stripe.seats']).toBe(40);
  });

  it.each([
    ['usage.trend14d', '"-0.2"', 'expected a number'],
    ['support.escalations90d', 1.5, 'expected an integer'],
    ['usage.featureAdoption', 1.2, 'expected at most 1'],
    ['relationship.championStatus', 'gone', 'expected one of active, new, departed, none'],
    ['support.activeEscalation', 'yes', 'expected true or false'],
  ])('given %s = %s, then the error names account, key and value', (key, value, why) => {
    expect(() => parseSnapshot({ accountId: 'acme', asOf: '2026-11-01', signals: { [key]: value } })).toThrow(
      `account acme: signal ${key} = ${JSON.stringify(value)}: ${why}`,
    );
  });

  it('given a bad asOf or a missing accountId, then the field is named', () => {
    expect(() => parseSnapshot({ accountId: 'acme', asOf: 'yesterday', signals: {} })).toThrow(
      'account acme: asOf must be an ISO date or date-time',
    );
    expect(() => parseSnapshot({ asOf: '2026-11-01', signals: {} })).toThrow(/^snapshot: accountId/);
  });

  it('given null for a known key, then it is accepted as unknown', () => {
    expect(
      parseSnapshot({ accountId: 'a', asOf: '2026-11-01T08:00:00Z', signals: { 'outcome.nps': null } }).signals['outcome.nps'],
    ).toBeNull();
  });
});

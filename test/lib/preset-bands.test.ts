// Every band boundary of both presets, checked against the method's tables (scoring-method.md §3),
// written out here independently of the YAML files.
import { describe, expect, it } from 'vitest';
import type { SignalValue } from '../../lib/signals/catalog.ts';
import { preset } from '../support/models.ts';

type Cases = [SignalValue, number][];

const trend: Cases = [
  [-1, 0],
  [-0.99, 10],
  [-0.2501, 10],
  [-0.25, 40],
  [-0.1001, 40],
  [-0.1, 70],
  [0, 70],
  [0.1, 70],
  [0.1001, 100],
  [3, 100],
];
const seventyForty: Cases = [
  [0, 20],
  [0.3999, 20],
  [0.4, 60],
  [0.6999, 60],
  [0.7, 100],
  [1.3, 100],
];
const nps: Cases = [
  [0, 20],
  [6.99, 20],
  [7, 60],
  [8.99, 60],
  [9, 100],
  [10, 100],
];

const layered: Record<string, Cases> = {
  'usage.trend14d': trend,
  'usage.licenseUtilization': seventyForty,
  'usage.featureAdoption': seventyForty,
  'engagement.emailResponseHours': [
    [0, 100],
    [23.99, 100],
    [24, 60],
    [71.99, 60],
    [72, 20],
    [335.99, 20],
    [336, 0],
    [900, 0],
  ],
  'engagement.meetingAttendance': [
    [0, 20],
    [0.5, 20],
    [0.5001, 60],
    [0.8, 60],
    [0.8001, 100],
    [1, 100],
  ],
  'relationship.championStatus': [
    ['active', 100],
    ['new', 50],
    ['departed', 0],
    ['none', 0],
  ],
  'relationship.execSponsorEngaged': [
    [true, 100],
    [false, 0],
  ],
  'relationship.engagedContacts30d': [
    [0, 0],
    [2, 0],
    [3, 100],
    [12, 100],
  ],
  'outcome.nps': nps,
  'outcome.successPlanOnTrack': [
    [true, 100],
    [false, 0],
  ],
};

const categories: Record<string, Cases> = {
  'usage.trend14d': trend,
  'usage.featureAdoption': seventyForty,
  'support.ticketVolumeRatio': [
    [0, 100],
    [1, 100],
    [1.0001, 60],
    [2, 60],
    [2.0001, 20],
    [9, 20],
  ],
  'support.csat': [
    [0, 20],
    [0.5999, 20],
    [0.6, 60],
    [0.7999, 60],
    [0.8, 100],
    [1, 100],
  ],
  'support.escalations90d': [
    [0, 100],
    [1, 50],
    [2, 0],
    [7, 0],
  ],
  'billing.paymentStatus': [
    ['current', 100],
    ['late', 40],
    ['failed', 0],
  ],
  'billing.subscriptionChange': [
    ['upgrade', 100],
    ['stable', 80],
    ['downgrade', 30],
    ['cancel_pending', 0],
  ],
  'outcome.nps': nps,
  'growth.seatChange90d': [
    [-0.5, 20],
    [-0.0001, 20],
    [0, 60],
    [0.0001, 100],
    [1, 100],
  ],
  'usage.licenseUtilization': seventyForty,
};

for (const [name, table] of [
  ['layered', layered],
  ['categories', categories],
] as const) {
  describe(`preset ${name}: band boundaries`, () => {
    const model = preset(name);
    it('scores exactly the ten signals of the method', () => {
      expect(model.signals.map((s) => s.key).sort()).toEqual(Object.keys(table).sort());
    });
    for (const [key, cases] of Object.entries(table)) {
      it.each(cases)(`given ${key} = %s, when normalized, then %i points`, (value, points) => {
        const signal = model.signals.find((s) => s.key === key);
        expect(signal?.normalize(value)).toBe(points);
      });
    }
  });
}

describe('preset weights', () => {
  it('given layered, then layers weigh 40/25/20/15 and signal shares follow the method', () => {
    const m = preset('layered');
    expect(m.layers.map((l) => [l.id, l.weight])).toEqual([
      ['usage', 40],
      ['engagement', 25],
      ['relationship', 20],
      ['outcome', 15],
    ]);
    const share = Object.fromEntries(m.signals.map((s) => [s.key, s.fullShare]));
    expect(share['usage.trend14d']).toBeCloseTo(0.2, 12);
    expect(share['relationship.championStatus']).toBeCloseTo(0.2 * (30 / 75), 12);
    expect(m.signals.reduce((s, x) => s + x.fullShare, 0)).toBeCloseTo(1, 12);
  });
  it('given categories, then categories weigh 30/20/20/15/15', () => {
    expect(preset('categories').layers.map((l) => l.weight)).toEqual([30, 20, 20, 15, 15]);
  });
});

// Signals that combine two sources, computed once every source has answered: licence utilization
// is active users (product analytics) over paid seats (billing).
import type { SignalValue } from './catalog.ts';

export function deriveSignals(signals: Record<string, SignalValue>): void {
  const active = signals['mixpanel.activeUsers30d'];
  const seats = signals['stripe.seats'];
  if (signals['usage.licenseUtilization'] === undefined && typeof active === 'number' && typeof seats === 'number' && seats > 0) {
    signals['usage.licenseUtilization'] = Math.round((active / seats) * 1000) / 1000;
  }
}

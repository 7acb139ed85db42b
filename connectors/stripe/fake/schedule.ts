// The Stripe fake's subscription schedules, shaped as Stripe serves them (typed with the `stripe`
// package's types): phases with their items, as a booked downgrade or upgrade is scheduled.
// https://docs.stripe.com/api/subscription_schedules/object
import { asJson, type Stripe, type StripeJson, type StripeShape } from './shape.ts';

export function buildSchedule(
  id: string,
  subscription: string,
  customer: string,
  phases: StripeShape<Stripe.SubscriptionSchedule.Phase>[],
  created: number,
): StripeJson {
  return asJson<Stripe.SubscriptionSchedule>({
    id,
    object: 'subscription_schedule',
    canceled_at: null,
    completed_at: null,
    created,
    current_phase: null,
    customer,
    end_behavior: 'release',
    livemode: false,
    metadata: {},
    phases,
    released_at: null,
    released_subscription: null,
    status: 'active',
    subscription,
    test_clock: null,
  });
}

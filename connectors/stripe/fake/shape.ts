// How the Stripe fake types what it serves: every object is built as a StripeShape of the `stripe`
// package's own type (generated from Stripe's OpenAPI description for the pinned API version), so a
// field Stripe does not have, or a value of the wrong type, is a compile error rather than a fake
// that agrees with our connector and not with Stripe. The store keeps them as plain JSON.
import type Stripe from 'stripe';

/** The SDK's decimal class; on the wire a decimal is a string. */
type Decimal = ReturnType<(typeof Stripe)['Decimal']['from']>;

/**
 * A Stripe object as the fake serves it, at any depth: only fields the `stripe` package declares,
 * with its value types (decimals as their wire strings). Fields may be left out: Stripe's example
 * objects show the fields present, and the connector's raw schemas name the ones it needs.
 */
export type StripeShape<T> = T extends Decimal
  ? string
  : T extends string
    ? T
    : T extends readonly (infer E)[]
      ? StripeShape<E>[]
      : T extends object
        ? { [K in keyof T]?: StripeShape<T[K]> }
        : T;

export type StripeJson = Record<string, unknown>;

export const asJson = <T>(o: StripeShape<T>): StripeJson => o as StripeJson;

export type { Stripe };

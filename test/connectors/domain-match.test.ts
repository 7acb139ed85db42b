// Matching by domain: what counts as the same domain, and every reason an account or a record stays unmatched.
import { describe, expect, it } from 'vitest';
import { emailDomain, indexByDomain, matchByDomain, normalizeDomain } from '../../connectors/shared/domain-match.ts';
import type { AccountRef } from '../../connectors/shared/source.ts';

describe('normalizeDomain and emailDomain', () => {
  it.each([
    ['https://www.Acme.com/about?x=1', 'acme.com'],
    ['http://acme.co.uk:8080', 'acme.co.uk'],
    ['ACME.com.', 'acme.com'],
    ['www.acme.io', 'acme.io'],
    ['shop.acme.com', 'shop.acme.com'],
    ['localhost', undefined],
    ['not a domain', undefined],
    ['', undefined],
  ])('%j → %j', (input, expected) => {
    expect(normalizeDomain(input)).toBe(expected);
  });

  it('reads the domain of an address, with or without a display name', () => {
    expect(emailDomain('Ann <ann@Acme.com>')).toBe('acme.com');
    expect(emailDomain('billing@sub.acme.com')).toBe('sub.acme.com');
    expect(emailDomain('no-at-sign')).toBeUndefined();
    expect(emailDomain(null)).toBeUndefined();
  });
});

const account = (accountId: string, domain?: string, identities: Record<string, string> = {}): AccountRef => ({
  accountId,
  identities,
  ...(domain ? { domain } : {}),
});

describe('matchByDomain', () => {
  const records = [
    { id: 'cus_a', domains: ['acme.com'], label: 'Acme' },
    { id: 'cus_b1', domains: ['beta.com'] },
    { id: 'cus_b2', domains: ['beta.com'] },
    { id: 'cus_g', domains: ['gmail.com'], label: 'Gina' },
    { id: 'cus_n', domains: [] },
    { id: 'cus_s', domains: ['shared.com'] },
    { id: 'cus_mapped', domains: ['mapped.com'] },
    { id: 'cus_lonely', domains: ['lonely.com'] },
  ];
  const accounts = [
    account('1', 'acme.com'),
    account('2', 'beta.com'),
    account('3', 'gmail.com'),
    account('4'),
    account('5', 'shared.com'),
    account('6', 'https://www.shared.com'),
    account('7', 'mapped.com', { stripeCustomerId: 'cus_mapped' }),
    account('8', 'nobody.com'),
  ];
  const m = matchByDomain({ key: 'stripeCustomerId', noun: 'Stripe customer', accounts, byDomain: indexByDomain(records), records });

  it('joins an account whose domain exactly one record has, and never one that carries the id already', () => {
    expect([...m.matched]).toEqual([['1', 'cus_a']]);
    expect(m.notes.has('7')).toBe(false);
  });

  it('says why each other account stayed unmatched', () => {
    expect(Object.fromEntries(m.notes)).toEqual({
      '2': '2 Stripe customers have the domain beta.com (cus_b1, cus_b2); map stripeCustomerId on the account to join it',
      '3': "the account's domain gmail.com is a free-mail domain, which never matches; map stripeCustomerId on the account to join it",
      '4': 'no stripeCustomerId and no company domain to match a Stripe customer by; map stripeCustomerId on the account to join it',
      '5': '2 CRM accounts share the domain shared.com; map stripeCustomerId on the account to join it',
      '6': '2 CRM accounts share the domain shared.com; map stripeCustomerId on the account to join it',
      '8': 'no Stripe customer has the domain nobody.com; map stripeCustomerId on the account to join it',
    });
  });

  it('lists every record no account claims, with the reason', () => {
    const reasons = Object.fromEntries(m.unclaimed.map((r) => [r.recordId, r.reason.replace(/; map .*$/, '')]));
    expect(reasons).toEqual({
      cus_b1: 'Stripe customer cus_b1 has the domain beta.com, which is ambiguous (several Stripe customers or CRM accounts claim it)',
      cus_b2: 'Stripe customer cus_b2 has the domain beta.com, which is ambiguous (several Stripe customers or CRM accounts claim it)',
      cus_g: 'Stripe customer cus_g (Gina) uses the free-mail domain gmail.com, which never matches',
      cus_n: 'Stripe customer cus_n has no domain to match a CRM account by',
      cus_s: 'Stripe customer cus_s has the domain shared.com, which is ambiguous (several Stripe customers or CRM accounts claim it)',
      cus_lonely: 'Stripe customer cus_lonely: no CRM account has the domain lonely.com or this id in stripeCustomerId',
    });
  });
});

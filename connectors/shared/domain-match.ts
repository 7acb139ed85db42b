// Identity by domain: when a CRM account carries no id of another system (a standard HubSpot portal
// or Salesforce org has no field for one), a source may join the account to its own records by the
// company's web domain — Stripe customers by their e-mail's domain, Zendesk organizations by their
// `domain_names`. A match must be unambiguous on both sides: one CRM account and one vendor record
// for the domain. Free-mail domains (gmail.com, outlook.com…) say nothing about the company and never
// match. Every account and record left unmatched gets a sentence saying why and what to map instead.
import type { AccountRef, RejectedRecord } from './source.ts';

/** Domains of public mailbox providers: a customer writing from one of these is a person, not a company domain. */
const FREE_MAIL = new Set([
  'aol.com',
  'comcast.net',
  'fastmail.com',
  'gmail.com',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'googlemail.com',
  'hey.com',
  'hotmail.co.uk',
  'hotmail.com',
  'hotmail.fr',
  'icloud.com',
  'live.com',
  'mac.com',
  'mail.com',
  'mail.ru',
  'me.com',
  'msn.com',
  'outlook.com',
  'pm.me',
  'proton.me',
  'protonmail.com',
  'qq.com',
  'tutanota.com',
  'web.de',
  'yahoo.co.uk',
  'yahoo.com',
  'yahoo.fr',
  'yandex.com',
  'yandex.ru',
  'ymail.com',
  'zoho.com',
  '163.com',
  '126.com',
]);

export const isFreeMailDomain = (domain: string): boolean => FREE_MAIL.has(domain);

/** "https://WWW.Acme.com/about", "acme.com." or "acme.com" → "acme.com"; undefined when nothing host-like is left. */
export function normalizeDomain(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const host = value
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^[^@/]*@/, '')
    .split(/[/?#:]/)[0]
    ?.replace(/\.$/, '')
    .replace(/^www\./, '');
  return host && /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) ? host : undefined;
}

/** The domain of an e-mail address ("Ann <ann@Acme.com>" → "acme.com"). */
export function emailDomain(email: string | null | undefined): string | undefined {
  const at = email?.lastIndexOf('@') ?? -1;
  if (!email || at < 0) return undefined;
  return normalizeDomain(email.slice(at + 1).replace(/>.*$/, ''));
}

/** One vendor record that can be matched: its id, the domains it claims and a label for people. */
export interface DomainRecord {
  id: string;
  domains: string[];
  /** How the record reads in a list, e.g. "Acme Ltd (billing@acme.com)". */
  label?: string;
}

export interface IdentityMatch {
  /** AccountRef.identities key the source joins on (e.g. "stripeCustomerId"). */
  key: string;
  /** accountId → the vendor record's id, found by domain. */
  matched: Map<string, string>;
  /** accountId → why the account has no record of this vendor (only for accounts without the id). */
  notes: Map<string, string>;
  /** Vendor records no CRM account claims, each with the reason. */
  unclaimed: RejectedRecord[];
}

export interface DomainMatchInput {
  key: string;
  /** The vendor as users know it ("Stripe customer", "Zendesk organization"). */
  noun: string;
  /** Every account of the run (the whole portfolio: a domain is ambiguous across batches too). */
  accounts: readonly AccountRef[];
  /** domain → ids of the vendor's records claiming it. */
  byDomain: ReadonlyMap<string, readonly string[]>;
  /** The vendor's records this run has seen, for the list of unclaimed ones (may be partial). */
  records: readonly DomainRecord[];
}

/** Joins accounts without an id to the vendor's records by domain, and lists what stayed unmatched on both sides. */
export function matchByDomain(input: DomainMatchInput): IdentityMatch {
  const { key, noun } = input;
  const result: IdentityMatch = { key, matched: new Map(), notes: new Map(), unclaimed: [] };
  const accountsByDomain = new Map<string, number>();
  const claimed = new Set<string>();
  for (const a of input.accounts) {
    const id = a.identities[key];
    if (id) claimed.add(id);
    const d = normalizeDomain(a.domain);
    if (d) accountsByDomain.set(d, (accountsByDomain.get(d) ?? 0) + 1);
  }
  for (const a of input.accounts) {
    if (a.identities[key]) continue;
    const d = normalizeDomain(a.domain);
    const note = (why: string) => result.notes.set(a.accountId, `${why}; map ${key} on the account to join it`);
    if (!d) note(`no ${key} and no company domain to match a ${noun} by`);
    else if (isFreeMailDomain(d)) note(`the account's domain ${d} is a free-mail domain, which never matches`);
    else if ((accountsByDomain.get(d) ?? 0) > 1) note(`${accountsByDomain.get(d)} CRM accounts share the domain ${d}`);
    else {
      const ids = input.byDomain.get(d) ?? [];
      if (ids.length === 1) {
        result.matched.set(a.accountId, ids[0] as string);
        claimed.add(ids[0] as string);
      } else if (ids.length === 0) note(`no ${noun} has the domain ${d}`);
      else note(`${ids.length} ${noun}s have the domain ${d} (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''})`);
    }
  }
  for (const r of input.records) {
    if (claimed.has(r.id)) continue;
    const label = r.label ? `${noun} ${r.id} (${r.label})` : `${noun} ${r.id}`;
    const domains = r.domains.map((x) => normalizeDomain(x)).filter((x): x is string => x !== undefined);
    let reason: string;
    if (domains.length === 0) reason = `${label} has no domain to match a CRM account by`;
    else if (domains.every(isFreeMailDomain)) reason = `${label} uses the free-mail domain ${domains[0]}, which never matches`;
    else {
      const own = domains.filter((d) => !isFreeMailDomain(d));
      const shared = own.find((d) => (input.byDomain.get(d)?.length ?? 0) > 1 || (accountsByDomain.get(d) ?? 0) > 1);
      reason = shared
        ? `${label} has the domain ${shared}, which is ambiguous (several ${noun}s or CRM accounts claim it)`
        : `${label}: no CRM account has the domain ${own.join(' or ')} or this id in ${key}`;
    }
    result.unclaimed.push({ recordId: r.id, reason: `${reason}; map ${key} on its CRM account to join it` });
  }
  return result;
}

/** domain → record ids, from the records' own domains (free-mail domains left out: they never match). */
export function indexByDomain(records: readonly DomainRecord[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const r of records) {
    for (const raw of r.domains) {
      const d = normalizeDomain(raw);
      if (!d || isFreeMailDomain(d)) continue;
      const ids = index.get(d) ?? [];
      if (!ids.includes(r.id)) ids.push(r.id);
      index.set(d, ids);
    }
  }
  return index;
}

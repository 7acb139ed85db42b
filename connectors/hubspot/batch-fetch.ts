// Everything the source needs for one batch of companies, fetched in a handful of batched calls:
// the companies and their contacts (with property history, 50 a call), the company→contact
// associations (v4), the emails, meetings and calls of the signals' window (searched, so years of
// older email cost nothing), which companies those engagements belong to, and who attended the
// meetings and calls. Independent reads run concurrently under the shared budget. Records failing
// their raw schema are reported and left out.
import { DAY_MS } from '../../lib/days.ts';
import type { RejectedRecord } from '../shared/source.ts';
import { ENGAGEMENT_WINDOW_DAYS } from './activity-signals.ts';
import { type Associated, batchRead, readAssociations } from './api.ts';
import type { HubSpotCaller } from './client.ts';
import { companySignalPropertyKinds } from './company-signals.ts';
import { contactRoleProperties } from './contact-roles.ts';
import { searchEngagements } from './engagement-search.ts';
import { callPropertyKinds, emailPropertyKinds, meetingPropertyKinds } from './engagements.ts';
import { type HubSpotObjectRaw, type PropertyKind, parseRecord, typedObjectRaw } from './raw-schemas.ts';

export interface BatchData {
  companies: Map<string, HubSpotObjectRaw>;
  /** Company ids HubSpot does not have. */
  missing: string[];
  contactLinks: Map<string, Associated[]>;
  contacts: Map<string, HubSpotObjectRaw>;
  emailLinks: Map<string, Associated[]>;
  meetingLinks: Map<string, Associated[]>;
  callLinks: Map<string, Associated[]>;
  emails: Map<string, HubSpotObjectRaw>;
  meetings: Map<string, HubSpotObjectRaw>;
  calls: Map<string, HubSpotObjectRaw>;
  meetingContacts: Map<string, Associated[]>;
  callContacts: Map<string, Associated[]>;
  rejected: RejectedRecord[];
}

const linked = (links: Map<string, Associated[]>) => [...links.values()].flatMap((l) => l.map((a) => a.toId));

export interface FetchOptions {
  /** Engagements after this instant are not read; the window reaches ENGAGEMENT_WINDOW_DAYS before it. */
  asOf: number;
  signal?: AbortSignal | undefined;
  log?: ((event: string, detail: Record<string, unknown>) => void) | undefined;
}

export async function fetchBatch(caller: HubSpotCaller, companyIds: readonly string[], options: FetchOptions): Promise<BatchData> {
  const config = caller.config;
  const { signal } = options;
  const rejected: RejectedRecord[] = [];
  const window = { from: options.asOf - ENGAGEMENT_WINDOW_DAYS * DAY_MS, to: options.asOf };
  const inBatch = new Set(companyIds);

  async function read(
    type: string,
    kind: string,
    ids: readonly string[],
    kinds: Record<string, PropertyKind>,
    history: readonly string[],
    extra: readonly string[] = [],
  ) {
    const out = new Map<string, HubSpotObjectRaw>();
    if (ids.length === 0) return { records: out, missing: [] as string[] };
    const schema = typedObjectRaw(kinds);
    const page = await batchRead(caller, type, ids, [...new Set([...Object.keys(kinds), ...extra])], history, signal);
    for (const raw of page.records) {
      const r = parseRecord(schema, raw, kind);
      if (r.ok) out.set(r.value.id, r.value);
      else rejected.push(r.rejected);
    }
    return { records: out, missing: page.missing };
  }
  async function links(from: string, to: string, ids: readonly string[]) {
    if (ids.length === 0) return new Map<string, Associated[]>();
    const r = await readAssociations(caller, from, to, ids, signal);
    rejected.push(...r.rejected);
    return r.byId;
  }
  /** The window's engagements of one type, and each batch company's links to them. */
  async function engagements(type: string, kind: string, kinds: Record<string, PropertyKind>) {
    const found = await searchEngagements(caller, type, companyIds, window, Object.keys(kinds), signal, options.log);
    const schema = typedObjectRaw(kinds);
    const records = new Map<string, HubSpotObjectRaw>();
    for (const raw of found) {
      const r = parseRecord(schema, raw, kind);
      if (r.ok) records.set(r.value.id, r.value);
      else rejected.push(r.rejected);
    }
    const toCompanies = await links(type, 'companies', [...records.keys()]);
    const byCompany = new Map<string, Associated[]>();
    for (const [id, companies] of toCompanies)
      for (const c of companies) {
        if (!inBatch.has(c.toId)) continue;
        const list = byCompany.get(c.toId) ?? [];
        list.push({ toId: id, labels: [] });
        byCompany.set(c.toId, list);
      }
    return { records, byCompany };
  }

  const companyKinds = companySignalPropertyKinds(config);
  const roles = contactRoleProperties(config);
  const contactKinds: Record<string, PropertyKind> = Object.fromEntries(roles.properties.map((p) => [p, 'string' as PropertyKind]));
  if (config.contact.roleSinceProperty) contactKinds[config.contact.roleSinceProperty] = 'date';

  const [companies, contactLinks, emails, meetings, calls] = await Promise.all([
    read('companies', 'company', companyIds, companyKinds, Object.keys(companyKinds), ['name']),
    links('companies', 'contacts', companyIds),
    engagements('emails', 'email', emailPropertyKinds(config)),
    engagements('meetings', 'meeting', meetingPropertyKinds),
    engagements('calls', 'call', callPropertyKinds),
  ]);
  const [contacts, meetingContacts, callContacts] = await Promise.all([
    read('contacts', 'contact', linked(contactLinks), contactKinds, roles.history),
    links('meetings', 'contacts', [...meetings.records.keys()]),
    links('calls', 'contacts', [...calls.records.keys()]),
  ]);
  return {
    companies: companies.records,
    missing: companies.missing,
    contactLinks,
    contacts: contacts.records,
    emailLinks: emails.byCompany,
    meetingLinks: meetings.byCompany,
    callLinks: calls.byCompany,
    emails: emails.records,
    meetings: meetings.records,
    calls: calls.records,
    meetingContacts,
    callContacts,
    rejected,
  };
}

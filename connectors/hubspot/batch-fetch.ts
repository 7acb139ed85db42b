// Everything the source needs for one batch of companies, fetched in a fixed handful of batched
// calls: the companies (with property history), their contact and engagement associations (v4),
// the contacts (with history), the emails, meetings and calls, and who attended the meetings and
// calls. Independent reads run concurrently under the shared budget. Records failing their raw
// schema are reported and left out.
import type { RejectedRecord } from '../shared/source.ts';
import { type Associated, batchRead, readAssociations } from './api.ts';
import type { HubSpotCaller } from './client.ts';
import { companySignalPropertyKinds } from './company-signals.ts';
import { contactRoleProperties } from './contact-roles.ts';
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

export async function fetchBatch(caller: HubSpotCaller, companyIds: readonly string[], signal?: AbortSignal): Promise<BatchData> {
  const config = caller.config;
  const rejected: RejectedRecord[] = [];

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

  const companyKinds = companySignalPropertyKinds(config);
  const roles = contactRoleProperties(config);
  const contactKinds: Record<string, PropertyKind> = Object.fromEntries(roles.properties.map((p) => [p, 'string' as PropertyKind]));
  if (config.contact.roleSinceProperty) contactKinds[config.contact.roleSinceProperty] = 'date';

  const [companies, contactLinks, emailLinks, meetingLinks, callLinks] = await Promise.all([
    read('companies', 'company', companyIds, companyKinds, Object.keys(companyKinds), ['name']),
    links('companies', 'contacts', companyIds),
    links('companies', 'emails', companyIds),
    links('companies', 'meetings', companyIds),
    links('companies', 'calls', companyIds),
  ]);
  const meetingIds = linked(meetingLinks);
  const callIds = linked(callLinks);
  const [contacts, emails, meetings, calls, meetingContacts, callContacts] = await Promise.all([
    read('contacts', 'contact', linked(contactLinks), contactKinds, roles.history),
    read('emails', 'email', linked(emailLinks), emailPropertyKinds(config), []),
    read('meetings', 'meeting', meetingIds, meetingPropertyKinds, []),
    read('calls', 'call', callIds, callPropertyKinds, []),
    links('meetings', 'contacts', meetingIds),
    links('calls', 'contacts', callIds),
  ]);
  return {
    companies: companies.records,
    missing: companies.missing,
    contactLinks,
    contacts: contacts.records,
    emailLinks,
    meetingLinks,
    callLinks,
    emails: emails.records,
    meetings: meetings.records,
    calls: calls.records,
    meetingContacts,
    callContacts,
    rejected,
  };
}

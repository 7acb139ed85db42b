// Loads the vendor-neutral seed format (connectors/shared/fake/crm-seed.ts) into the fake org as a real
// org would hold it: Users (owners), Accounts, Contacts, Tasks (emails, calls, notes), Events
// (meetings) with their EventWhoRelation attendees, in Salesforce's standard objects (the customer's
// contract, an opportunity whose contact roles name the champion and sponsor, AccountContactRelation
// and EmailMessage where those features are on) and, for a customized org, in the custom fields the
// mapping reads as well.
import { addDays, daysBetween, isoDay } from '../../../lib/days.ts';
import type { SeedAccount, SeedActivity, SeedContact } from '../../shared/fake/crm-seed.ts';
import { type SalesforceMapping, type SalesforceMappingInput, salesforceMappingSchema } from '../config.ts';
import type { FakeOrg, FieldDef, SfRecord } from './store.ts';
import { sfDateTime } from './store.ts';

/**
 * A seed account as the Salesforce fake loads it: the neutral seed plus what only Salesforce holds.
 * Seeding writes as stored, not through the API, so any Type value is kept.
 */
export interface SalesforceSeedAccount extends SeedAccount {
  /** Account.Type ("Prospect", "Customer - Channel", a value the org added such as "Former Customer"); null leaves it empty. Default "Customer - Direct". */
  accountType?: string | null;
  /** The day the customer left, written to the mapping's churn date field when the org has it. */
  churnedOn?: string;
}

/** The Type a seed account gets when the seed says nothing: a customer, so it is in the default scope. */
export const DEFAULT_ACCOUNT_TYPE = 'Customer - Direct';

const dayMs = (iso: string): number => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);

/** How the customized org marks a customer who left: the Type value its admin added, dated by a custom date field. */
export const formerCustomerChurn = { field: 'Type', values: ['Former Customer'], dateField: 'Churn_Date__c' };

/**
 * The mapping of an org customized the way CS teams often do it: custom fields for roles, dates,
 * sentiment and the other systems' ids, and a Type value for former customers (as a config names it).
 */
export const customizedOrgMappingInput = {
  churn: formerCustomerChurn,
  account: {
    segment: 'Segment__c',
    contractStart: 'Contract_Start_Date__c',
    renewalDate: 'Renewal_Date__c',
    csmSentiment: 'CSM_Sentiment__c',
    nps: 'NPS_Score__c',
    successPlanOnTrack: { field: 'Success_Plan_Status__c', trueValues: ['On Track'], falseValues: ['Off Track', 'At Risk'] },
    roiDocumented: { field: 'ROI_Documented__c', trueValues: ['Yes'], falseValues: ['No'] },
  },
  identity: {
    stripeCustomerId: 'Stripe_Customer_Id__c',
    zendeskOrganizationId: 'Zendesk_Organization_Id__c',
    mixpanelGroupKey: 'Mixpanel_Group_Key__c',
  },
  contact: {
    champion: { field: 'Champion__c', value: true },
    execSponsor: { field: 'Executive_Sponsor__c', value: true },
    roleStartDate: 'Role_Start_Date__c',
    left: { field: 'Left_Company__c', value: true },
    leftDate: 'Left_Company_Date__c',
    executiveSince: 'Executive_Since__c',
  },
  activity: {
    emailDirection: { field: 'Email_Direction__c', inbound: 'Inbound', outbound: 'Outbound' },
    emailThread: 'Email_Thread_Id__c',
    meetingOutcome: { field: 'Meeting_Outcome__c', attended: ['Completed'], noShow: ['No Show'] },
  },
} satisfies SalesforceMappingInput;

/** The same, with every default filled in. */
export const customizedOrgMapping: SalesforceMapping = salesforceMappingSchema.parse(customizedOrgMappingInput);

/** Defines the custom fields an org customized for `m` has (types matter to SOQL); none for the standard mapping. */
export function defineOrgCustomization(org: FakeOrg, m: SalesforceMapping = customizedOrgMapping): void {
  const add = (object: string, name: string | null | undefined, def: Omit<FieldDef, 'name'>) => {
    if (name) org.defineField(object, { name, custom: true, ...def });
  };
  const text = { type: 'string', length: 255 } as const;
  add('Account', m.account.segment, { type: 'picklist', values: ['Enterprise', 'Mid-Market', 'SMB'] });
  add('Account', m.account.contractStart, { type: 'date' });
  add('Account', m.account.renewalDate, { type: 'date' });
  add('Account', m.account.csmSentiment, { type: 'picklist', values: ['Green', 'Yellow', 'Red'] });
  add('Account', m.account.nps, { type: 'double', precision: 3, scale: 1 });
  for (const b of [m.account.successPlanOnTrack, m.account.roiDocumented])
    if (b) add('Account', b.field, { type: 'picklist', values: [...b.trueValues, ...b.falseValues] });
  for (const f of Object.values(m.identity)) add('Account', f, text);
  // The value(s) saying a customer left: added to the standard Type picklist (as an admin would), or a custom picklist.
  if (m.churn) {
    const existing = org.field('Account', m.churn.field);
    if (existing?.type === 'picklist')
      org.defineField('Account', { ...existing, values: [...new Set([...(existing.values ?? []), ...m.churn.values])] });
    else add('Account', m.churn.field, { type: 'picklist', values: m.churn.values });
    add('Account', m.churn.dateField, { type: 'date' });
  }
  if (m.override) {
    add('Account', m.override.score, { type: 'double', precision: 3, scale: 0 });
    add('Account', m.override.reason, text);
    add('Account', m.override.expiresOn, { type: 'date' });
  }
  for (const flag of [m.contact.champion, m.contact.execSponsor, m.contact.left])
    if (flag) add('Contact', flag.field, typeof flag.value === 'boolean' ? { type: 'boolean' } : { type: 'multipicklist' });
  for (const f of [m.contact.roleStartDate, m.contact.leftDate, m.contact.executiveSince]) add('Contact', f, { type: 'date' });
  const dir = m.activity.emailDirection;
  if (dir) add('Task', dir.field, { type: 'picklist', values: [dir.inbound, dir.outbound] });
  add('Task', m.activity.emailThread, text);
  const outcome = m.activity.meetingOutcome;
  if (outcome) add('Event', outcome.field, { type: 'picklist', values: [...outcome.attended, ...outcome.noShow, 'Scheduled', 'Canceled'] });
}

const titleCase = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const SEGMENTS = { enterprise: 'Enterprise', mid_market: 'Mid-Market', smb: 'SMB' } as const;
const OUTCOMES = { completed: 'Completed', no_show: 'No Show', scheduled: 'Scheduled', canceled: 'Canceled' } as const;

export class SeedLoader {
  private readonly org: FakeOrg;
  private readonly m: SalesforceMapping;
  private readonly users = new Map<string, string>();

  constructor(org: FakeOrg, mapping: SalesforceMapping = customizedOrgMapping) {
    this.org = org;
    this.m = mapping;
  }

  /** Sets a field the org has (a custom field absent from a standard org is skipped). */
  private put(fields: SfRecord, object: string, name: string, value: string | number | boolean): void {
    if (this.org.field(object, name)) fields[name] = value;
  }

  /** The User id for an email, created on first use. */
  user(email: string): string {
    let id = this.users.get(email.toLowerCase());
    if (!id) {
      id = this.org.insertRaw('User', { Name: email.split('@')[0] ?? email, Email: email, IsActive: true });
      this.users.set(email.toLowerCase(), id);
    }
    return id;
  }

  /** Loads accounts; returns seed key → Account Id (18 characters). */
  load(accounts: readonly SalesforceSeedAccount[]): Map<string, string> {
    const ids = new Map<string, string>();
    for (const a of accounts) ids.set(a.key, this.account(a));
    return ids;
  }

  private account(a: SalesforceSeedAccount): string {
    const { account: am, identity, override } = this.m;
    const fields: SfRecord = {
      Name: a.name,
      Website: `https://www.${a.domain}`,
      OwnerId: this.user(a.ownerEmail ?? 'csm@healthscore.example'),
      Type: a.accountType === undefined ? DEFAULT_ACCOUNT_TYPE : a.accountType,
    };
    // Only fields the org has: a standard org holds none of the custom ones.
    const set = (name: string | null | undefined, value: string | number | boolean | undefined) => {
      if (name && value !== undefined && this.org.field('Account', name)) fields[name] = value;
    };
    set(am.segment, a.segment && SEGMENTS[a.segment]);
    set(am.contractStart, a.contractStart);
    set(am.renewalDate, a.renewalDate);
    set(am.csmSentiment, a.csmSentiment && titleCase(a.csmSentiment));
    set(am.nps, a.nps);
    const yesNo = (b: { trueValues: string[]; falseValues: string[] } | null, v: boolean | undefined) =>
      v === undefined || !b ? undefined : v ? b.trueValues[0] : (b.falseValues[0] ?? undefined);
    set(am.successPlanOnTrack?.field, yesNo(am.successPlanOnTrack, a.successPlanOnTrack));
    set(am.roiDocumented?.field, yesNo(am.roiDocumented, a.roiDocumented));
    set(identity.stripeCustomerId, a.identities?.stripeCustomerId);
    set(identity.zendeskOrganizationId, a.identities?.zendeskOrganizationId);
    set(identity.mixpanelGroupKey, a.identities?.mixpanelGroupKey);
    set(this.m.churn?.dateField, a.churnedOn);
    if (override && a.override) {
      set(override.score, a.override.score);
      set(override.reason, a.override.reason);
      set(override.expiresOn, a.override.expiresOn);
    }
    const created = a.contractStart ? dayMs(a.contractStart) : a.modifiedAt ? dayMs(a.modifiedAt) : this.org.now();
    const accountId = this.org.insertRaw('Account', fields, created);
    this.org.patchRaw('Account', accountId, { LastModifiedDate: sfDateTime(a.modifiedAt ? dayMs(a.modifiedAt) : this.org.now()) }, false);
    const contacts = new Map<string, string>();
    for (const c of a.contacts ?? []) contacts.set(c.key, this.contact(accountId, c, a.activities ?? [], created));
    for (const act of a.activities ?? []) this.activity(accountId, fields.OwnerId as string, act, contacts);
    this.contract(accountId, a, created);
    this.contactRoles(accountId, a, contacts, created);
    return accountId;
  }

  /** The customer's contract: activated, from the contract start to the renewal date. */
  private contract(accountId: string, a: SeedAccount, created: number): void {
    if (!a.contractStart && !a.renewalDate) return;
    const start = a.contractStart ?? isoDay(created);
    const end = a.renewalDate ?? addDays(start, 365);
    const months = Math.max(1, Math.round(daysBetween(start, end) / 30.44));
    this.org.insertRaw(
      'Contract',
      {
        AccountId: accountId,
        Status: 'Activated',
        StatusCode: 'Activated',
        StartDate: start,
        EndDate: end,
        ContractTerm: months,
        ActivatedDate: sfDateTime(dayMs(start)),
      },
      dayMs(start),
    );
  }

  /**
   * The roles people hold: an opportunity whose contact roles name the champion (Decision Maker) and
   * the sponsor (Executive Sponsor), each role created when the contact took it; and, with Contacts
   * to Multiple Accounts, the account-contact relations with the same roles (inactive once they left).
   */
  private contactRoles(accountId: string, a: SeedAccount, contacts: Map<string, string>, created: number): void {
    const people = (a.contacts ?? []).filter((c) => contacts.has(c.key));
    const since = (c: SeedContact) => dayMs(c.inRoleSince ?? a.contractStart ?? new Date(created).toISOString());
    const roles = (c: SeedContact) => [...(c.champion ? ['Decision Maker'] : []), ...(c.execSponsor ? ['Executive Sponsor'] : [])];
    const holders = people.filter((c) => roles(c).length > 0);
    if (holders.length > 0) {
      const closed = isoDay(created);
      const opportunityId = this.org.insertRaw(
        'Opportunity',
        {
          AccountId: accountId,
          Name: `${a.name} — first contract`,
          StageName: 'Closed Won',
          CloseDate: closed,
          Type: 'New Customer',
          IsClosed: true,
          IsWon: true,
        },
        Math.min(created, ...holders.map(since)),
      );
      for (const c of holders)
        for (const role of roles(c))
          this.org.insertRaw(
            'OpportunityContactRole',
            { OpportunityId: opportunityId, ContactId: contacts.get(c.key) as string, Role: role, IsPrimary: false },
            since(c),
          );
    }
    if (!this.org.objectName('AccountContactRelation')) return;
    for (const c of people) {
      const left = c.leftOn !== undefined;
      this.org.insertRaw(
        'AccountContactRelation',
        {
          AccountId: accountId,
          ContactId: contacts.get(c.key) as string,
          Roles: roles(c).join(';') || null,
          IsActive: !left,
          IsDirect: true,
          StartDate: (c.inRoleSince ?? new Date(created).toISOString()).slice(0, 10),
          EndDate: left ? (c.leftOn as string).slice(0, 10) : null,
        },
        since(c),
      );
    }
  }

  private contact(accountId: string, c: SeedContact, activities: readonly SeedActivity[], accountCreated: number): string {
    const { contact: cm } = this.m;
    const [first, ...rest] = c.name.split(' ');
    const fields: SfRecord = { AccountId: accountId, FirstName: rest.length > 0 ? (first ?? '') : '', LastName: rest.join(' ') || c.name };
    fields.Email = c.email;
    if (c.title) fields.Title = c.title;
    if (cm.champion && c.champion) this.put(fields, 'Contact', cm.champion.field, cm.champion.value);
    if (cm.execSponsor && c.execSponsor) this.put(fields, 'Contact', cm.execSponsor.field, cm.execSponsor.value);
    if (cm.roleStartDate && c.inRoleSince) this.put(fields, 'Contact', cm.roleStartDate, c.inRoleSince);
    if (cm.left && c.leftOn) this.put(fields, 'Contact', cm.left.field, cm.left.value);
    if (cm.leftDate && c.leftOn) this.put(fields, 'Contact', cm.leftDate, c.leftOn);
    if (cm.executiveSince && c.executiveSince) this.put(fields, 'Contact', cm.executiveSince, c.executiveSince);
    const involved = activities.filter((x) =>
      x.kind === 'meeting' ? x.contactKeys.includes(c.key) : x.kind !== 'note' && x.contactKey === c.key,
    );
    const dates = [c.inRoleSince, c.executiveSince, ...involved.map((x) => x.at)].filter((d): d is string => Boolean(d)).map(dayMs);
    return this.org.insertRaw('Contact', fields, dates.length > 0 ? Math.min(...dates) : accountCreated);
  }

  private activity(accountId: string, ownerId: string, act: SeedActivity, contacts: Map<string, string>): void {
    const at = dayMs(act.at);
    const base: SfRecord = { WhatId: accountId, AccountId: accountId, OwnerId: ownerId };
    const { emailDirection, emailThread, meetingOutcome } = this.m.activity;
    const task = (fields: SfRecord) =>
      this.org.insertRaw(
        'Task',
        { ...base, Status: 'Completed', IsClosed: true, ActivityDate: act.at.slice(0, 10), CompletedDateTime: sfDateTime(at), ...fields },
        at,
      );
    switch (act.kind) {
      case 'email': {
        const subject = `${act.direction === 'inbound' ? 'Re: ' : ''}${act.threadId}`;
        const fields: SfRecord = { TaskSubtype: 'Email', Subject: `Email: ${subject}` };
        fields.WhoId = contacts.get(act.contactKey) ?? null;
        if (emailDirection)
          this.put(fields, 'Task', emailDirection.field, act.direction === 'inbound' ? emailDirection.inbound : emailDirection.outbound);
        if (emailThread) this.put(fields, 'Task', emailThread, act.threadId);
        const taskId = task(fields);
        // Enhanced Email keeps the message itself, with its direction, beside the Task.
        if (this.org.objectName('EmailMessage'))
          this.org.insertRaw(
            'EmailMessage',
            {
              ActivityId: taskId,
              RelatedToId: accountId,
              Incoming: act.direction === 'inbound',
              MessageDate: sfDateTime(at),
              Subject: subject,
              ThreadIdentifier: act.threadId,
              Status: act.direction === 'inbound' ? '0' : '3',
            },
            at,
          );
        return;
      }
      case 'call':
        task({
          TaskSubtype: 'Call',
          Subject: 'Call',
          CallType: 'Outbound',
          WhoId: contacts.get(act.contactKey) ?? null,
          CallDurationInSeconds: act.connected ? 900 : 0,
          CallDisposition: act.connected ? 'Connected' : 'No answer',
        });
        return;
      case 'note':
        task({ TaskSubtype: 'Task', Subject: 'Note', Description: act.body });
        return;
      case 'meeting': {
        const who = act.contactKeys.map((k) => contacts.get(k)).filter((id): id is string => Boolean(id));
        const fields: SfRecord = {
          ...base,
          Subject: 'Meeting',
          StartDateTime: sfDateTime(at),
          EndDateTime: sfDateTime(at + 30 * 60_000),
          DurationInMinutes: 30,
          WhoId: who[0] ?? null,
        };
        if (meetingOutcome) this.put(fields, 'Event', meetingOutcome.field, OUTCOMES[act.outcome]);
        const eventId = this.org.insertRaw('Event', fields, at);
        for (const contactId of who)
          this.org.insertRaw('EventWhoRelation', { EventId: eventId, RelationId: contactId, Type: 'Contact' }, at);
      }
    }
  }
}

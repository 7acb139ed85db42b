// A vendor-neutral description of a CRM account with its people and activity, which each CRM fake
// can load (`seedAccounts`). The demo portfolio and the end-to-end tests describe accounts once in
// this form and run against HubSpot or Salesforce alike.

export interface SeedContact {
  /** Stable id within the seed (the fake assigns its own record id). */
  key: string;
  name: string;
  email: string;
  title?: string;
  champion?: boolean;
  execSponsor?: boolean;
  /** ISO date the contact took their role (a champion < 90 days in role is `new`). */
  inRoleSince?: string;
  /** ISO date the contact left the customer (marked as left in the CRM). */
  leftOn?: string;
  /** ISO date the contact joined as an executive (a leadership change within 90 days). */
  executiveSince?: string;
}

export type SeedActivity =
  | { kind: 'email'; at: string; direction: 'outbound' | 'inbound'; contactKey: string; threadId: string }
  | { kind: 'meeting'; at: string; contactKeys: string[]; outcome: 'completed' | 'no_show' | 'scheduled' | 'canceled' }
  | { kind: 'call'; at: string; contactKey: string; connected: boolean }
  | { kind: 'note'; at: string; body: string };

export interface SeedAccount {
  /** Stable id within the seed; the fake maps it to the CRM record id it assigns. */
  key: string;
  name: string;
  domain: string;
  segment?: 'enterprise' | 'mid_market' | 'smb';
  ownerEmail?: string;
  /** ISO dates. */
  contractStart?: string;
  renewalDate?: string;
  csmSentiment?: 'green' | 'yellow' | 'red';
  nps?: number;
  successPlanOnTrack?: boolean;
  roiDocumented?: boolean;
  identities?: { stripeCustomerId?: string; zendeskOrganizationId?: string; mixpanelGroupKey?: string };
  override?: { score: number; reason: string; expiresOn: string };
  contacts?: SeedContact[];
  activities?: SeedActivity[];
  /** ISO date-time of the record's last modification (for incremental reads). */
  modifiedAt?: string;
}

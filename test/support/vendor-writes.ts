// Counting what reached the vendor fakes that could change something: every request each fake
// logged, less the reads. HubSpot reads by POST too (batch read, search), so those are reads; every
// other non-GET (batch update, property or task creation, sObject collections, Metadata API, Slack
// webhooks) is a write.
import type { LoggedRequest } from '../../connectors/shared/fake/server.ts';
import type { LocalVendors } from '../../pipeline/demo/local-vendors.ts';

const isRead = (r: LoggedRequest) => r.method === 'GET' || /\/(batch\/read|search)$/.test(r.path);

/** Per vendor, how many requests its fake has logged so far (a mark to count from). */
export function requestMarks(v: LocalVendors): Record<string, number> {
  return Object.fromEntries(Object.entries(servers(v)).map(([k, s]) => [k, s.log.length]));
}

/** Per vendor, the write requests logged since `marks` (all of them without marks). */
export function writesSince(v: LocalVendors, marks: Record<string, number> = {}): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(servers(v)).map(([k, s]) => [
      k,
      s.log
        .slice(marks[k] ?? 0)
        .filter((r) => !isRead(r))
        .map((r) => `${r.method} ${r.path}`),
    ]),
  );
}

/** Per vendor, the read requests logged since `marks`. */
export function readsSince(v: LocalVendors, marks: Record<string, number> = {}): Record<string, number> {
  return Object.fromEntries(Object.entries(servers(v)).map(([k, s]) => [k, s.log.slice(marks[k] ?? 0).filter(isRead).length]));
}

function servers(v: LocalVendors) {
  return {
    ...(v.hubspot ? { hubspot: v.hubspot.server } : {}),
    ...(v.salesforce ? { salesforce: v.salesforce.server } : {}),
    stripe: v.stripe.server,
    zendesk: v.zendesk.server,
    mixpanel: v.mixpanel.server,
    slack: v.slackFake.server,
  };
}

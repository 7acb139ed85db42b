// Who a contact was at a point in time: champion or executive sponsor (a contact property such as
// hs_buying_role, or a company↔contact association label, per config), since when, whether they
// had left the customer, and whether they were an executive (by job title) and since when. Property
// history dates each role, so "new in role" and "left" are read as of the run's day.
import type { ContactMarker, HubSpotConfig } from './config.ts';
import type { HubSpotObjectRaw } from './raw-schemas.ts';
import { firstMatching, hasOption, matchingSince, parseHubSpotTime, valueAsOf, versions } from './values.ts';

export interface ContactRoles {
  id: string;
  email: string | undefined;
  /** Champion as of the day, since this instant; undefined when not a champion then. */
  championSince: number | undefined;
  /** Marked champion at some point at or before the day. */
  everChampion: boolean;
  sponsorSince: number | undefined;
  /** Had left the customer by the day. */
  left: boolean;
  /** An executive (title or sponsor) since this instant, if one on the day. */
  executiveSince: number | undefined;
}

const isDateLike = (v: string) => /^\d{4}-\d{2}-\d{2}/.test(v) || /^\d{10,14}$/.test(v);

function markerMatches(marker: Extract<ContactMarker, { kind: 'property' }>): (v: string) => boolean {
  const option = marker.value;
  return option ? (v) => hasOption(v, option) : (v) => v.trim() !== '' && v.trim().toLowerCase() !== 'false';
}

const hasLabel = (labels: readonly string[], label: string) => labels.some((l) => l.toLowerCase() === label.toLowerCase());

/** Since when the marker holds at `asOf` (undefined when it does not), and whether it ever held by then. */
function marked(
  contact: HubSpotObjectRaw,
  labels: readonly string[],
  marker: ContactMarker,
  roleSince: number | undefined,
  asOf: number,
): { since: number | undefined; ever: boolean } {
  if (marker.kind === 'associationLabel') {
    if (!hasLabel(labels, marker.label)) return { since: undefined, ever: false };
    const since = roleSince ?? contact.createdAt.getTime();
    return since <= asOf ? { since, ever: true } : { since: undefined, ever: false };
  }
  const vs = versions(contact, marker.property);
  const matches = markerMatches(marker);
  const since = matchingSince(vs, matches, asOf);
  const ever = firstMatching(vs, matches, asOf) !== undefined;
  if (since === undefined) return { since, ever };
  return { since: roleSince !== undefined && roleSince <= asOf ? roleSince : since, ever };
}

function hasLeft(contact: HubSpotObjectRaw, labels: readonly string[], marker: ContactMarker | undefined, asOf: number): boolean {
  if (!marker) return false;
  if (marker.kind === 'associationLabel') return hasLabel(labels, marker.label);
  if (!marker.value) {
    const current = valueAsOf(contact, marker.property, asOf);
    if (current !== undefined && isDateLike(current)) {
      const on = parseHubSpotTime(current);
      return on !== undefined && on <= asOf;
    }
  }
  return matchingSince(versions(contact, marker.property), markerMatches(marker), asOf) !== undefined;
}

export function executiveTitle(config: HubSpotConfig): (title: string) => boolean {
  const include = new RegExp(config.contact.executiveTitlePattern, 'i');
  const exclude = new RegExp(config.contact.executiveTitleExclude, 'i');
  return (title) => include.test(title) && !exclude.test(title);
}

/** The contact properties roles are read from, current values and history. */
export function contactRoleProperties(config: HubSpotConfig): { properties: string[]; history: string[] } {
  const c = config.contact;
  const markerProps = [c.champion, c.execSponsor, c.left].flatMap((m) => (m?.kind === 'property' ? [m.property] : []));
  const history = [...new Set(['jobtitle', ...markerProps])];
  const properties = [...new Set(['email', 'firstname', 'lastname', ...history, ...(c.roleSinceProperty ? [c.roleSinceProperty] : [])])];
  return { properties, history };
}

/** A contact's roles on the day `asOf`, given the labels of its association with the company. */
export function rolesAsOf(contact: HubSpotObjectRaw, labels: readonly string[], asOf: number, config: HubSpotConfig): ContactRoles {
  const c = config.contact;
  const roleSinceRaw = c.roleSinceProperty ? valueAsOf(contact, c.roleSinceProperty, asOf) : undefined;
  const roleSince = parseHubSpotTime(roleSinceRaw);
  const champion = marked(contact, labels, c.champion, roleSince, asOf);
  const sponsor = marked(contact, labels, c.execSponsor, roleSince, asOf);
  const titleSince = matchingSince(versions(contact, 'jobtitle'), executiveTitle(config), asOf);
  const execStarts = [titleSince, sponsor.since].filter((t): t is number => t !== undefined);
  const email = contact.properties.email?.trim().toLowerCase();
  return {
    id: contact.id,
    email: email ? email : undefined,
    championSince: champion.since,
    everChampion: champion.ever,
    sponsorSince: sponsor.since,
    left: hasLeft(contact, labels, c.left, asOf),
    executiveSince: execStarts.length > 0 ? Math.min(...execStarts) : undefined,
  };
}

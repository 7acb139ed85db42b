// The signals either CRM's default mapping reads (relationship, engagement, outcome, renewal, age).
import type { CatalogKey } from '../../lib/signals/catalog.ts';

export const CRM_SIGNALS: readonly CatalogKey[] = [
  'relationship.championStatus',
  'relationship.execSponsorEngaged',
  'relationship.engagedContacts30d',
  'relationship.leadershipChange90d',
  'relationship.csmSentiment',
  'engagement.emailResponseHours',
  'engagement.meetingAttendance',
  'engagement.daysSinceLastCsmTouch',
  'outcome.nps',
  'outcome.successPlanOnTrack',
  'outcome.roiDocumented',
  'commercial.daysToRenewal',
  'lifecycle.accountAgeDays',
];

// Raw Zendesk API schemas (zod) for what the support source reads: tickets and organizations from
// the incremental exports, satisfaction ratings, and the page envelopes with their cursors. Only the
// fields we use are required. A record failing its schema is reported with its id and skipped.
import * as z from 'zod';

const time = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO date-time');

// https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#json-format
export const rawTicket = z
  .object({
    id: z.number().int(),
    organization_id: z.number().int().nullable(),
    created_at: time,
    updated_at: time,
    status: z.enum(['new', 'open', 'pending', 'hold', 'solved', 'closed', 'deleted']),
    priority: z.enum(['urgent', 'high', 'normal', 'low']).nullable(),
    tags: z.array(z.string()),
    satisfaction_rating: z.object({ id: z.number().int().optional(), score: z.string() }).loose().nullish(),
  })
  .loose();

// https://developer.zendesk.com/api-reference/ticketing/organizations/organizations/#json-format
export const rawOrganization = z
  .object({
    id: z.number().int(),
    name: z.string(),
    // https://developer.zendesk.com/api-reference/ticketing/organizations/organizations/#json-format
    domain_names: z.array(z.string()).nullish(),
    updated_at: time,
    deleted_at: time.nullish(),
  })
  .loose();

// https://developer.zendesk.com/api-reference/ticketing/ticket-management/satisfaction_ratings/#json-format
export const rawSatisfactionRating = z
  .object({
    id: z.number().int(),
    ticket_id: z.number().int(),
    score: z.string(),
    created_at: time,
    updated_at: time,
  })
  .loose();

// https://developer.zendesk.com/api-reference/ticketing/ticket-management/csat_survey_responses/#json-format
const ratingAnswer = z
  .object({
    type: z.string(),
    rating: z.number().int().optional(),
    created_at: time.optional(),
    updated_at: time.optional(),
    question: z
      .object({
        sub_type: z.string().optional(),
        options: z.array(z.object({ rating: z.number().int() }).loose()).nullish(),
      })
      .loose()
      .optional(),
  })
  .loose();

export const rawSurveyResponse = z
  .object({
    id: z.string(),
    subjects: z.array(z.object({ id: z.string(), type: z.string() }).loose()),
    answers: z.array(ratingAnswer),
  })
  .loose();

export const surveyResponsesPage = z.object({
  survey_responses: z.array(z.unknown()),
  meta: z.object({ has_more: z.boolean(), after_cursor: z.string().nullish() }).loose(),
});

/** Page envelopes: their records stay `unknown` so each is validated (and rejected) on its own. */
export const ticketExportPage = z.object({
  tickets: z.array(z.unknown()),
  after_cursor: z.string().nullable(),
  after_url: z.string().nullable(),
  end_of_stream: z.boolean(),
});

export const organizationExportPage = z.object({
  organizations: z.array(z.unknown()),
  next_page: z.string().nullable(),
  end_of_stream: z.boolean(),
  end_time: z.number().int().nullable(),
});

export const ratingsPage = z.object({
  satisfaction_ratings: z.array(z.unknown()),
  meta: z.object({ has_more: z.boolean() }).loose().optional(),
  links: z.object({ next: z.string().nullable() }).loose().optional(),
});

export type TicketExportPage = z.infer<typeof ticketExportPage>;
export type OrganizationExportPage = z.infer<typeof organizationExportPage>;
export type RatingsPage = z.infer<typeof ratingsPage>;
export type RawTicket = z.infer<typeof rawTicket>;
export type RawOrganization = z.infer<typeof rawOrganization>;
export type RawSatisfactionRating = z.infer<typeof rawSatisfactionRating>;
export type RawSurveyResponse = z.infer<typeof rawSurveyResponse>;
export type SurveyResponsesPage = z.infer<typeof surveyResponsesPage>;

export const unixOf = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/** The id of a record that failed its schema, for the report. */
export const idOf = (raw: unknown): string => {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : '(no id)';
};

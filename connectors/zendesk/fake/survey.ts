// The Zendesk fake's survey responses (the updated CSAT), shaped as Zendesk documents them: answers
// with a rating-scale answer whose question carries its options, subjects naming the ticket, and the
// survey's id, version and state. https://developer.zendesk.com/api-reference/ticketing/ticket-management/csat_survey_responses/#json-format
import { DAY_S } from '../../../lib/days.ts';
import { isoSeconds, toUnix, type ZendeskJson, type ZendeskTime } from './seed.ts';

export interface SeedSurveyResponse {
  id?: string;
  ticketId: number;
  /** The chosen point on the scale (1 = very unsatisfied). */
  rating: number;
  /** Points on the scale (5 unless given). */
  scale?: number;
  /** When the survey was offered (the response's creation) and when it was answered. */
  offeredAt?: ZendeskTime;
  at: ZendeskTime;
  responderId?: number;
}

export function buildSurveyResponse(id: string, r: SeedSurveyResponse): ZendeskJson {
  const scale = r.scale ?? 5;
  const answered = isoSeconds(toUnix(r.at));
  const category = r.rating >= scale - 1 ? 'good' : r.rating <= 2 ? 'bad' : 'neutral';
  return {
    id,
    expires_at: isoSeconds(toUnix(r.at) + 14 * DAY_S),
    responder_id: r.responderId ?? 900_000 + r.ticketId,
    subject_zrns: [`zen:ticket:${r.ticketId}`],
    subjects: [{ id: String(r.ticketId), type: 'ticket', zrn: `zen:ticket:${r.ticketId}` }],
    survey: { id: '01J58KJ9RAE0D2EK7HRVM7Z8F2', state: 'enabled', version: 1 },
    answers: [
      {
        type: 'rating_scale',
        rating: r.rating,
        rating_category: category,
        created_at: answered,
        updated_at: answered,
        question: {
          id: '01J1WBE8QR0YQVE373K2JDJR0F',
          type: 'rating_scale_numeric',
          sub_type: 'customer_satisfaction',
          options: Array.from({ length: scale }, (_, i) => ({ rating: i + 1, label: { type: 'static', value: String(i + 1) } })),
        },
      },
    ],
  };
}

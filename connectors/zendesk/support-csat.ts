// The CSAT part of a Zendesk sync: which CSAT the account runs (legacy satisfaction ratings, or the
// updated CSAT's survey responses, probed when `csat: auto`) and reading it into the stored tickets.
// A failure here (an agent's token answers 403) leaves the tickets and organizations read: the sync
// records it as a partial failure, so `support.csat` follows the failed-source rule for this run
// while every other support signal stays fresh.
import { DAY_S } from '../../lib/days.ts';
import { formatIssues } from '../../lib/zod-issues.ts';
import { ConfigError, TransientError } from '../shared/errors.ts';
import { redact } from '../shared/http-trace.ts';
import { fromZendeskSurveyResponse } from './support-model.ts';
import { CURSOR_KEY, SupportStateWriter } from './support-state.ts';
import { type SyncRun, syncRatings } from './support-sync.ts';
import { getBody } from './zendesk-client.ts';
import { idOf, rawSurveyResponse, surveyResponsesPage } from './zendesk-raw.ts';

/** The signal keys the CSAT read feeds. */
export const CSAT_KEYS = ['support.csat'] as const;

const SURVEY_PATH = '/guide/survey_responses';

/**
 * `survey` when the account has survey responses (one call, `page[size]=1`), else `legacy`. An
 * account without the updated CSAT (below Professional) or a token that may not list them reads legacy.
 * https://developer.zendesk.com/api-reference/ticketing/ticket-management/csat_survey_responses/#list-survey-responses
 */
async function detectCsat(run: SyncRun): Promise<'legacy' | 'survey'> {
  try {
    const body = await getBody(run.client, `${run.config.endpointUri}${SURVEY_PATH}?page[size]=1`);
    const page = surveyResponsesPage.safeParse(body);
    return page.success && page.data.survey_responses.length > 0 ? 'survey' : 'legacy';
  } catch (err) {
    if (err instanceof ConfigError) return 'legacy';
    throw err;
  }
}

/** The survey responses created since the last sync (less the lookback), 100 a page, cursor-paged. */
async function syncSurveyResponses(run: SyncRun): Promise<void> {
  const from =
    run.cursor.ratingsThrough === null ? run.cursor.coveredFrom : run.cursor.ratingsThrough - run.config.ratingsLookbackDays * DAY_S;
  const query = `filter[created_at_start]=${from * 1000}&filter[created_at_end]=${run.asOfS * 1000}&page[size]=100`;
  let url = `${run.config.endpointUri}${SURVEY_PATH}?${query}`;
  while (run.ctx.signal?.aborted !== true) {
    const page = surveyResponsesPage.safeParse(await getBody(run.client, url));
    if (!page.success) throw new TransientError('zendesk', 'survey responses: the page did not have the documented shape');
    const w = new SupportStateWriter(run.ctx.state, run.asOfS - run.config.backfillDays * DAY_S);
    const rated = page.data.survey_responses.flatMap((raw) => {
      run.records++;
      const r = rawSurveyResponse.safeParse(raw);
      if (!r.success) {
        run.rejected.push({ recordId: `survey_response ${idOf(raw)}`, reason: formatIssues(r.error) });
        return [];
      }
      const mapped = fromZendeskSurveyResponse(r.data, run.config.csatSatisfiedFrom);
      return mapped && mapped.rating.ratedAt <= run.asOfS ? [mapped] : [];
    });
    const tickets = rated.flatMap((r) => r.ticketIds);
    await w.loadIndex(tickets);
    await w.loadOrgs(tickets.map((t) => w.orgOfTicket(t)));
    for (const r of rated) for (const t of r.ticketIds) w.applyRating(t, r.rating);
    await w.flush();
    const after = page.data.meta.after_cursor;
    if (!page.data.meta.has_more || !after) break;
    url = `${run.config.endpointUri}${SURVEY_PATH}?${query}&page[after]=${encodeURIComponent(after)}`;
  }
  if (run.ctx.signal?.aborted !== true) {
    run.cursor.ratingsThrough = run.asOfS;
    await run.ctx.state.put(CURSOR_KEY, run.cursor);
  }
}

/** Reads this run's CSAT; a failure is kept in the cursor (`csatFailure`) instead of failing the sync. */
export async function syncCsat(run: SyncRun): Promise<void> {
  try {
    const mode = run.config.csat === 'auto' ? await detectCsat(run) : run.config.csat;
    run.cursor.csatMode = mode;
    if (mode === 'survey') await syncSurveyResponses(run);
    else await syncRatings(run);
    delete run.cursor.csatFailure;
  } catch (err) {
    if (run.ctx.signal?.aborted) throw err;
    const why = redact((err as Error).message);
    const admin =
      /403/.test(why) && !/admin/i.test(why) ? ' (ratings and survey responses are allowed for admins only: use an admin’s API token)' : '';
    run.cursor.csatFailure = { asOf: run.ctx.asOf.toISOString(), reason: `CSAT not read: ${why}${admin}` };
  }
  await run.ctx.state.put(CURSOR_KEY, run.cursor);
}

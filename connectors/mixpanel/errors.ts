// Mixpanel's error policy as data. The Query API answers errors as {request, error}, the export host
// as {error, status}. Mixpanel sends no Retry-After: a 429 without one means the project's queries
// for the hour (60, shared with its dashboards and other API users) or its 5 concurrent slots are
// taken, so the source stops for this run (its signals go stale, the next run resumes) rather than
// wait for up to an hour. The export's per-second limit is waited out.
// Docs: https://docs.mixpanel.com/reference/rate-limits
import { type ErrorPolicy, jsonOf } from '../shared/error-policy.ts';

export const mixpanelErrorPolicy = (projectId: string, secondMs: number): ErrorPolicy => ({
  vendor: 'mixpanel',
  read(body) {
    const b = jsonOf(body) as { error?: unknown } | undefined;
    return typeof b?.error === 'string' ? { message: b.error } : { message: body.slice(0, 300) };
  },
  rateLimitWaitMs: secondMs,
  rules: [
    {
      status: [401, 403],
      kind: 'config',
      say: (c) =>
        `service account refused (${c.status}). Check mixpanel.serviceAccount (username and secret) and that it has access to project ${projectId}.`,
    },
    { status: 404, kind: 'config', say: 'not found (404). Check mixpanel.region or the base URLs.' },
    { status: 429, retryAfter: true, kind: 'rateLimited', say: 'rate limited' },
    { status: 429, body: /per second|in progress/i, kind: 'rateLimited', say: 'rate limited (the export allows 3 a second)' },
    {
      status: 429,
      kind: 'quota',
      say: "Mixpanel's query allowance for the project is used up (60 queries an hour, 5 at once, shared with its dashboards and other API users): usage signals keep their last values and the next run resumes",
    },
    {
      status: [400, 499],
      kind: 'config',
      say: 'request rejected. Check the Mixpanel configuration (activeEvents, coreFeatures, groupKeyProperty).',
    },
    { status: [500, 599], kind: 'transient', say: 'Mixpanel failed' },
  ],
});

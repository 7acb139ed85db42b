// Zendesk's error policy as data. Zendesk answers errors as {"error":"RecordNotFound","description":…}
// or {"error":{"title":"Forbidden","message":…}}. The incremental exports and satisfaction ratings
// are allowed for admins only, so a 403 there is a person's to fix, not a retry.
// Docs: https://developer.zendesk.com/api-reference/introduction/requests/#response-format,
// https://developer.zendesk.com/api-reference/introduction/rate-limits/
import { type ErrorPolicy, jsonOf } from '../shared/error-policy.ts';

interface ZendeskErrorBody {
  error?: unknown;
  description?: unknown;
}

export const zendeskErrorPolicy = (windowMs: number): ErrorPolicy => ({
  vendor: 'zendesk',
  read(body) {
    const b = jsonOf(body) as ZendeskErrorBody | undefined;
    if (!b || typeof b !== 'object') return {};
    if (typeof b.error === 'string') return { code: b.error, message: typeof b.description === 'string' ? b.description : undefined };
    const e = b.error as { title?: unknown; message?: unknown } | undefined;
    return {
      code: typeof e?.title === 'string' ? e.title : undefined,
      message: typeof e?.message === 'string' ? e.message : undefined,
    };
  },
  rateLimitWaitMs: windowMs,
  rules: [
    {
      status: 401,
      kind: 'config',
      say: "the credentials were rejected (401 Couldn't authenticate you): check username (the API user's email) in the Zendesk config and the API token (ZENDESK_API_TOKEN for the CLI, the zendesk secret in Secrets Manager for the Lambdas), and that token access is enabled in Admin Center",
    },
    {
      status: 403,
      kind: 'config',
      say: (c) =>
        `the API user may not read ${c.path} (403): the API user must be an admin (incremental exports and satisfaction ratings are for admins only); set username to an admin's email and use that admin's API token`,
    },
    {
      status: 404,
      kind: 'config',
      say: (c) => `the API answered 404 for ${c.path}: check subdomain or baseUrl (it must end in /api/v2) in the Zendesk source config`,
    },
    { status: 429, kind: 'rateLimited', say: (c) => `rate limited (429) on ${c.path}` },
    { status: [500, 599], kind: 'transient', say: (c) => `server error ${c.status} on ${c.path}` },
    { status: [400, 499], kind: 'data', say: (c) => `Zendesk refused the request for ${c.path}` },
  ],
});

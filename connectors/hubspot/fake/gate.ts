// What the fake HubSpot checks before routing, in HubSpot's order: the bearer token (401 with
// INVALID_AUTHENTICATION or EXPIRED_AUTHENTICATION), the app's scopes (403 MISSING_SCOPES naming
// them), the daily allocation and the rolling 10-second window (429 with policyName DAILY /
// TEN_SECONDLY_ROLLING), and the search endpoints' per-second limit. Every authenticated answer
// carries the X-HubSpot-RateLimit-* headers.
// Docs: https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details (limits, headers, 429 bodies)
import { type FakeClock, type FakeRequest, type FakeResponse, WindowLimit } from '../../shared/fake/server.ts';
import { hubSpotError, objectTypeOf } from './store.ts';

export interface GateOptions {
  token: string;
  tenSecondLimit: number;
  dailyLimit: number | undefined;
  searchPerSecond: number;
  clock: FakeClock;
}

/** The 429 body HubSpot sends, for a policy. */
export function rateLimitBody(policyName: 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY'): Record<string, unknown> {
  const label = policyName === 'DAILY' ? 'daily' : policyName.toLowerCase();
  const { category: _category, ...body } = hubSpotError('RATE_LIMITS', `You have reached your ${label} limit.`);
  return { ...body, errorType: 'RATE_LIMIT', policyName };
}

/** The granular scope a request needs. */
export function scopeFor(req: FakeRequest): string {
  const parts = req.path.split('/').filter(Boolean); // crm, v3, objects|properties|..., type, ...
  const write = req.method !== 'GET' && !/\/(batch\/read|search)$/.test(req.path);
  const mode = write ? 'write' : 'read';
  if (parts[2] === 'properties') return `crm.schemas.${objectTypeOf(parts[3] ?? '') ?? parts[3]}.${mode}`;
  if (parts[2] === 'associations') return `crm.objects.${objectTypeOf(parts[3] ?? '') ?? parts[3]}.read`;
  const type = objectTypeOf(parts[3] ?? '');
  return type === 'companies' ? `crm.objects.companies.${mode}` : `crm.objects.contacts.${mode}`;
}

export class HubSpotGate {
  readonly token: string;
  expired = false;
  readonly missingScopes = new Set<string>();
  readonly tenSecond: WindowLimit;
  readonly search: WindowLimit;
  dailyLimit: number | undefined;
  dailyUsed = 0;
  private readonly headers = new WeakMap<FakeRequest, Record<string, string>>();

  constructor(o: GateOptions) {
    this.token = o.token;
    this.tenSecond = new WindowLimit(o.tenSecondLimit, 10_000, o.clock);
    this.search = new WindowLimit(o.searchPerSecond, 1_000, o.clock);
    this.dailyLimit = o.dailyLimit;
  }

  /** The rate-limit headers computed for this request (merged into the route's answer). */
  headersFor(req: FakeRequest): Record<string, string> {
    return this.headers.get(req) ?? {};
  }

  private rateHeaders(remaining: number): Record<string, string> {
    const daily = this.dailyLimit ?? 500_000;
    return {
      'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
      'X-HubSpot-RateLimit-Max': String(this.tenSecond.limit),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, remaining)),
      'X-HubSpot-RateLimit-Daily': String(daily),
      'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, daily - this.dailyUsed)),
    };
  }

  check(req: FakeRequest): FakeResponse | undefined {
    const auth = req.headers.authorization ?? '';
    if (auth !== `Bearer ${this.token}`)
      return {
        status: 401,
        body: hubSpotError(
          'INVALID_AUTHENTICATION',
          'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
        ),
      };
    if (this.expired)
      return { status: 401, body: hubSpotError('EXPIRED_AUTHENTICATION', 'The OAuth token used to make this call expired 2 hour(s) ago.') };
    // Account and token endpoints need no CRM scope.
    const scope = req.path.startsWith('/crm/') ? scopeFor(req) : undefined;
    if (scope !== undefined && this.missingScopes.has(scope))
      return {
        status: 403,
        body: hubSpotError(
          'MISSING_SCOPES',
          "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
          {
            errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: [scope] } }],
            links: { scopes: 'https://developers.hubspot.com/scopes' },
          },
        ),
      };
    if (this.dailyLimit !== undefined && this.dailyUsed >= this.dailyLimit)
      return { status: 429, body: rateLimitBody('DAILY'), headers: this.rateHeaders(0) };
    const window = this.tenSecond.take();
    if (!window.ok) return { status: 429, body: rateLimitBody('TEN_SECONDLY_ROLLING'), headers: this.rateHeaders(0) };
    if (req.path.endsWith('/search') && !this.search.take().ok)
      return { status: 429, body: rateLimitBody('SECONDLY'), headers: this.rateHeaders(window.remaining) };
    this.dailyUsed++;
    this.headers.set(req, this.rateHeaders(window.remaining));
    return undefined;
  }
}

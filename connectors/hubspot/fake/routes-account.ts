// The fake's account endpoints `healthscore check` reads: the token's scopes and the day's API usage.
// Docs: https://developers.hubspot.com/docs/api/private-apps (POST /oauth/v2/private-apps/get/access-token-info)
//       https://developers.hubspot.com/docs/api-reference/account-account-info-v3/api-usage/get-usage-details
import { DAY_MS } from '../../../lib/days.ts';
import type { FakeRequest } from '../../shared/fake/server.ts';
import type { HubSpotGate } from './gate.ts';
import type { On } from './routes-objects.ts';
import { hubSpotError } from './store.ts';

/** The scopes a private app of this fake holds (those revoked by a test aside). */
export const FAKE_APP_SCOPES = [
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  'crm.schemas.contacts.read',
  'sales-email-read',
];

export function accountRoutes(on: On, gate: HubSpotGate, portalId: number): void {
  on('POST', '/oauth/v2/private-apps/get/access-token-info', (req: FakeRequest) => {
    const key = (req.json as { tokenKey?: unknown } | undefined)?.tokenKey;
    if (key !== gate.token) return { status: 400, body: hubSpotError('BAD_REQUEST', 'The token is not a valid private app token') };
    return {
      status: 200,
      body: { userId: 4242001, hubId: portalId, appId: 777, scopes: FAKE_APP_SCOPES.filter((s) => !gate.missingScopes.has(s)) },
    };
  });
  on('GET', '/account-info/v3/api-usage/daily/private-apps', () => ({
    status: 200,
    body: {
      results: [
        {
          name: 'private-apps-api-calls-daily',
          usageLimit: gate.dailyLimit ?? 500_000,
          currentUsage: gate.dailyUsed,
          fetchStatus: 'SUCCESS',
          collectedAt: new Date().toISOString(),
          resetsAt: new Date(Date.now() + DAY_MS).toISOString(),
        },
      ],
    },
  }));
}

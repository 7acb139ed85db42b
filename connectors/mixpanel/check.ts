// `healthscore check` for Mixpanel, read-only and within the Query API's 60 queries an hour: ONE
// segmentation query (unique users of the first active event over the last 30 complete days of the
// project's time zone, by the group key property) proves the service account reaches the project,
// that events carry the group key, and which sample accounts' keys (their mixpanelGroupKey, else
// their domain) have events.
import { lastCompleteZonedDay } from '../../lib/zoned-days.ts';
import type { CheckContext, InspectResult, JoinResult, Joins, VendorCheck } from '../shared/check.ts';
import { findingsFor } from '../shared/check.ts';
import { normalizeDomain } from '../shared/domain-match.ts';
import { type AccountRef, IDENTITY } from '../shared/source.ts';
import { MixpanelClient } from './client.ts';
import { type MixpanelConfig, mixpanelConfigSchema } from './config.ts';

const finding = findingsFor('mixpanel');

export function createMixpanelCheck(section: unknown): VendorCheck {
  const config: MixpanelConfig = mixpanelConfigSchema.parse(section);
  const client = new MixpanelClient(config);
  let keys: Set<string> | undefined;
  const [event] = config.activeEvents as [string];
  const on = `properties[${JSON.stringify(config.groupKeyProperty)}]`;

  async function inspect(ctx: CheckContext): Promise<InspectResult> {
    const out: InspectResult = { findings: [] };
    const endDay = lastCompleteZonedDay(ctx.asOf, config.timezone);
    try {
      // https://developer.mixpanel.com/reference/segmentation-query — the check's only query.
      const body = await client.segmentation(
        { event, fromDay: endDay - 29, toDay: endDay, type: 'unique', interval: 30, on, where: `defined(${on})`, limit: 10_000 },
        ctx.signal,
      );
      keys = new Set(Object.keys(body.data.values));
    } catch (err) {
      out.findings.push(
        finding(
          'access',
          'fail',
          `${(err as Error).message.replace(/^mixpanel: /, '')} — check serviceAccount.username, the secret in ${ctx.secretName}, projectId ${config.projectId} and region ${config.region}`,
        ),
      );
      return out;
    }
    out.findings.push(
      finding('access', 'ok', `the service account reads project ${config.projectId} (one Query API query of the 60 an hour)`),
    );
    out.findings.push(
      keys.size > 0
        ? finding('mapping', 'ok', `"${event}" events carry ${config.groupKeyProperty} for ${keys.size} groups over the last 30 days`)
        : finding(
            'mapping',
            'warn',
            `no "${event}" event in the last 30 days has the property ${config.groupKeyProperty}: check groupKeyProperty (the event property holding the account's key) and activeEvents`,
          ),
    );
    out.findings.push(
      finding(
        'mapping',
        'note',
        `Mixpanel's API does not report the project's time zone: days are counted in ${config.timezone} (mixpanel.timezone); check that Project Settings › Timezone says the same, or every day boundary is off by the difference`,
      ),
    );
    return out;
  }

  async function joins(sample: readonly AccountRef[]): Promise<Joins> {
    const accounts = sample.map((a): JoinResult => {
      const mapped = a.identities[IDENTITY.mixpanelGroupKey];
      const key = mapped ?? (config.groupKeyFromDomain ? normalizeDomain(a.domain) : undefined);
      if (!key)
        return {
          accountId: a.accountId,
          joined: false,
          reason: 'no mixpanelGroupKey identity and no company domain to use as the group key',
        };
      if (keys?.has(key)) return { accountId: a.accountId, joined: true };
      return {
        accountId: a.accountId,
        joined: false,
        reason: `no "${event}" events with ${config.groupKeyProperty} = "${key}" in the last 30 days${mapped ? '' : " (the key is the account's domain: map mixpanelGroupKey if your product sends another value)"}`,
      };
    });
    // Group keys carry no company to list them by: only the accounts' side is reported.
    return { accounts, unclaimed: [] };
  }

  return { inspect, joins };
}

// Lambda: the run's last step. Aggregates the batch checkpoints into the run summary, logs it and
// publishes the metrics the dashboard and alarms read.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { formatSummary, summarizeRun } from '../pipeline/run/summary.ts';
import { logger, metrics, storeRuntime } from './runtime.ts';

const eventSchema = z.looseObject({ runId: z.string().min(1) });

export async function handler(event: unknown, context: Context) {
  logger.addContext(context);
  const e = eventSchema.parse(event);
  const summary = await summarizeRun(storeRuntime(), e.runId);
  logger.info('run summary', { summary, text: formatSummary(summary) });
  metrics.addMetric('AccountsScored', MetricUnit.Count, summary.scored);
  metrics.addMetric('AccountsUnknown', MetricUnit.Count, summary.unknown);
  for (const [tier, n] of Object.entries(summary.tiers)) metrics.addMetric(`Tier_${tier}`, MetricUnit.Count, n);
  metrics.addMetric('CrmWrites', MetricUnit.Count, summary.writes.written);
  metrics.addMetric(
    'AlertsSent',
    MetricUnit.Count,
    Object.values(summary.alerts).reduce((a, b) => a + b, 0),
  );
  // Shadow mode: what a live run would have written and alerted, beside the (zero) real ones.
  metrics.addMetric('ShadowCrmWrites', MetricUnit.Count, summary.shadow?.writes ?? 0);
  metrics.addMetric(
    'ShadowAlerts',
    MetricUnit.Count,
    Object.values(summary.shadow?.alerts ?? {}).reduce((a, b) => a + b, 0),
  );
  metrics.addMetric('FailedSources', MetricUnit.Count, Object.keys(summary.failedSources).length);
  metrics.addMetric('AccountsChurned', MetricUnit.Count, summary.lifecycle.churned);
  metrics.addMetric('AccountsLeftScope', MetricUnit.Count, summary.lifecycle.leftScope);
  metrics.addMetric(
    'OutOfScopeRecords',
    MetricUnit.Count,
    Object.values(summary.outOfScope).reduce((n, v) => n + v, 0),
  );
  for (const [kind, n] of Object.entries(summary.lifecycle.outcomes)) metrics.addMetric(`Outcomes_${kind}`, MetricUnit.Count, n);
  for (const [vendor, n] of Object.entries(summary.calls)) metrics.addMetric(`VendorCalls_${vendor}`, MetricUnit.Count, n);
  for (const [vendor, n] of Object.entries(summary.rateLimited)) metrics.addMetric(`RateLimited_${vendor}`, MetricUnit.Count, n);
  metrics.publishStoredMetrics();
  if (!summary.complete && !summary.stoppedBy)
    throw new Error(`run ${e.runId} incomplete: ${summary.batches.done}/${summary.batches.total} batches done`);
  if (summary.stoppedBy)
    logger.warn('run stopped early at a vendor quota; the next run scores every account again', { stoppedBy: summary.stoppedBy });
  return summary;
}

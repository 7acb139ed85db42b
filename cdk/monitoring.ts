// What an admin watches: CloudWatch alarms (failed or timed-out runs, function errors and throttles,
// anything in the run DLQ) e-mailed through an encrypted SNS topic, and a dashboard of the run
// metrics the summarize function publishes (namespace Healthscore, dimension service=healthscore).
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export const METRICS_NAMESPACE = 'Healthscore';
/** Powertools Metrics adds the service dimension to every metric (functions/runtime.ts: serviceName). */
export const METRICS_DIMENSIONS = { service: 'healthscore' };

export interface MonitoringProps {
  name: string;
  alarmEmails: readonly string[];
  stateMachine: sfn.StateMachine;
  functions: Record<string, lambda.IFunction>;
  /** score-batch: errors are retried by the state machine, so its alarm watches the error rate instead of single errors. */
  retriedFunction: string;
  failures: sqs.IQueue;
  /** Vendors whose calls and 429s the dashboard shows. */
  vendors: readonly string[];
}

export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    // Alarms can publish to an encrypted topic only with a customer-managed key CloudWatch may use.
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: `${props.name}: encrypts the alarm topic`,
      enableKeyRotation: true,
      // Deleted with the stack (after KMS's 7-day waiting period): it protects nothing but the topic.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // In a key policy "*" means this key.
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'AlarmTopic', { displayName: `${props.name} alarms`, masterKey: key, enforceSSL: true });
    // E-mails SNS cannot deliver are kept in the run DLQ (14 days) instead of being dropped.
    for (const email of props.alarmEmails)
      this.topic.addSubscription(new subs.EmailSubscription(email, { deadLetterQueue: props.failures }));

    const alarm = (id: string, metric: cloudwatch.IMetric, description: string, threshold = 1) => {
      const a = new cloudwatch.Alarm(this, id, {
        // Named for the e-mail subject: Healthscore-RunFailed, Healthscore-ScoreBatchErrorRate, …
        alarmName: `${props.name}-${id}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(new actions.SnsAction(this.topic));
      this.alarms.push(a);
      return a;
    };
    const sm = props.stateMachine;
    const hour = { period: Duration.hours(1), statistic: cloudwatch.Stats.SUM };
    alarm('RunFailed', sm.metricFailed(hour), 'A healthscore run failed: see the run DLQ message and the execution in Step Functions');
    alarm('RunTimedOut', sm.metricTimedOut(hour), 'A healthscore run hit the state machine timeout');
    for (const [id, fn] of Object.entries(props.functions)) {
      const name = id.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);
      if (id === props.retriedFunction) {
        const rate = new cloudwatch.MathExpression({
          expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
          usingMetrics: { errors: fn.metricErrors(hour), invocations: fn.metricInvocations(hour) },
          period: Duration.hours(1),
          label: `${name} error rate (%)`,
        });
        alarm(`${cap(id)}ErrorRate`, rate, `5% or more of the ${name} invocations failed in an hour (retried ones included)`, 5);
      } else alarm(`${cap(id)}Errors`, fn.metricErrors(hour), `The ${name} function failed`);
      alarm(`${cap(id)}Throttles`, fn.metricThrottles(hour), `Lambda throttled the ${name} function (account or function concurrency)`);
    }
    alarm(
      'FailuresQueued',
      props.failures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      'A failed run or a schedule that could not start a run is waiting in the run DLQ',
    );

    const run = (metricName: string, label = metricName) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: METRICS_DIMENSIONS,
        statistic: cloudwatch.Stats.SUM,
        period: Duration.days(1),
        label,
      });
    // A source that fails (revoked key, vendor down) leaves the run green while its signals age out: page someone.
    alarm(
      'SourceFailed',
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'FailedSources',
        dimensionsMap: METRICS_DIMENSIONS,
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.hours(1),
      }),
      'A run could not read one of its sources: its last good signals are carried forward for maxStaleDays, then dropped. See the run summary in the summarize logs',
    );
    const graph = (title: string, left: cloudwatch.IMetric[], stacked = false) =>
      new cloudwatch.GraphWidget({ title, left, stacked, width: 12, height: 6 });
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${props.name}-run`,
      defaultInterval: Duration.days(30),
    });
    this.dashboard.addWidgets(
      graph('Accounts scored (per day)', [run('AccountsScored', 'scored'), run('AccountsUnknown', 'unknown')]),
      graph(
        'Tiers',
        ['green', 'yellow', 'red', 'unknown'].map((t) => run(`Tier_${t}`, t)),
        true,
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Vendor calls',
        props.vendors.map((v) => run(`VendorCalls_${v}`, v)),
      ),
      graph(
        '429 responses',
        props.vendors.map((v) => run(`RateLimited_${v}`, v)),
      ),
    );
    this.dashboard.addWidgets(
      graph('CRM writes, alerts, failed sources', [
        run('CrmWrites', 'CRM writes'),
        run('AlertsSent', 'alerts'),
        run('FailedSources', 'failed sources'),
        // mode: shadow writes and sends nothing: these show what it would have.
        run('ShadowCrmWrites', 'would have written (shadow)'),
        run('ShadowAlerts', 'would have alerted (shadow)'),
      ]),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 12, height: 6 }),
    );
    this.dashboard.addWidgets(
      graph('Customers: churned, left the scope, CRM records not customers', [
        run('AccountsChurned', 'churned'),
        run('AccountsLeftScope', 'left the scope (not a churn)'),
        run('OutOfScopeRecords', 'not customers (not scored)'),
      ]),
      graph(
        'Outcomes recorded',
        ['churned', 'renewed', 'expanded', 'contracted'].map((k) => run(`Outcomes_${k}`, k)),
      ),
    );
  }
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

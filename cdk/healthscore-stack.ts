// The healthscore stack: one DynamoDB table, four functions (plan, score-batch, summarize, setup),
// the scheduled run state machine, the run DLQ, vendor secrets referenced by name, alarms and a
// dashboard — everything configured from the deploy config (cdk/deploy-config.ts).
import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, TimeZone, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { lambdaBundling, MODELS_DIR_IN_BUNDLE } from './bundling.ts';
import { ConcurrencyError, type ConcurrencyPlan, planConcurrency } from './concurrency.ts';
import { type DeployConfig, DeployConfigError } from './deploy-config.ts';
import { HealthscoreFunction } from './healthscore-function.ts';
import { modelBundle } from './model-bundle.ts';
import { Monitoring } from './monitoring.ts';
import { deployedChannels, type FunctionRole, runConfigJson, vendorsFor } from './run-configs.ts';
import { RunStateMachine } from './run-state-machine.ts';
import { workerBudgets } from './vendor-sections.ts';

/** What each function is, and the DynamoDB calls its code makes (pipeline/store/dynamo-store.ts). */
export const FUNCTIONS: Record<
  FunctionRole,
  { file: string; memory: number; timeoutSeconds: number; table: string[]; description: string }
> = {
  plan: {
    file: 'plan.ts',
    memory: 1024,
    timeoutSeconds: 900,
    // getRun; savePlan (batch write); saveRun; source state (kv get/put, parts by batch get/write)
    table: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem'],
    description: 'healthscore: plan a run (list CRM accounts into batches, sync each source once)',
  },
  scoreBatch: {
    file: 'score-batch.ts',
    memory: 1024,
    timeoutSeconds: 900,
    // loadBatch, getRun, getStates, putDays, putStates, markBatchDone, kv, claimAlert (put), releaseAlert (delete)
    table: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'dynamodb:DeleteItem'],
    description: 'healthscore: score one batch of accounts, store the day, write back, alert',
  },
  summarize: {
    file: 'summarize.ts',
    memory: 512,
    timeoutSeconds: 120,
    // getRun; batchSummaries (query)
    table: ['dynamodb:GetItem', 'dynamodb:Query'],
    description: 'healthscore: summarize a run and publish its metrics',
  },
  setup: {
    file: 'setup.ts',
    memory: 512,
    timeoutSeconds: 300,
    // Creates the CRM properties / fields only; never touches the table.
    table: [],
    description: 'healthscore: create the CRM health-score properties (run after each deploy)',
  },
};

const kebab = (s: string) => s.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);

export interface HealthscoreStackProps extends StackProps {
  config: DeployConfig;
}

export class HealthscoreStack extends Stack {
  readonly config: DeployConfig;
  readonly concurrency: ConcurrencyPlan;
  readonly table: dynamodb.TableV2;
  readonly functions: Record<FunctionRole, HealthscoreFunction>;
  readonly run: RunStateMachine;
  readonly failures: sqs.Queue;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: HealthscoreStackProps) {
    super(scope, id, props);
    const c = props.config;
    this.config = c;
    const model = modelBundle(c);
    try {
      this.concurrency = planConcurrency({
        crm: c.crm,
        batchSize: c.batchSize,
        maxConcurrency: c.maxConcurrency,
        crmCallsPerBatch: c.crmCallsPerBatch,
        timeoutSeconds: FUNCTIONS.scoreBatch.timeoutSeconds,
        budgets: workerBudgets(c.crm, c.sources, c.run),
      });
    } catch (err) {
      if (err instanceof ConcurrencyError) throw new DeployConfigError(c.source, [`batchSize: ${err.message}`]);
      throw err;
    }
    const logRetention = c.logRetentionDays as logs.RetentionDays;

    this.table = new dynamodb.TableV2(this, 'Table', {
      tableName: c.table.name,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      timeToLiveAttribute: 'expiresAt',
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.failures = new sqs.Queue(this, 'RunFailures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter destination itself (runs the schedule could not start, failed runs recorded by the state machine, alarm e-mails SNS could not deliver); a DLQ behind it would only move the same messages. Its depth is alarmed.',
    });
    Validations.of(this.failures).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason: 'Same reason as AwsSolutions-SQS3: this queue is the dead-letter destination; nothing consumes from it to redrive.',
    });

    const secretArn = (ref: string) =>
      ref.startsWith('arn:')
        ? ref
        : this.formatArn({
            service: 'secretsmanager',
            resource: 'secret',
            resourceName: `${ref}-??????`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          });
    const fns = {} as Record<FunctionRole, HealthscoreFunction>;
    const bundling = lambdaBundling(c.crm, model.copies, c.bundleAwsSdk);
    for (const [role, spec] of Object.entries(FUNCTIONS) as [FunctionRole, (typeof FUNCTIONS)[FunctionRole]][]) {
      const vendors = vendorsFor(role, c);
      const env: Record<string, string> = { TABLE_NAME: c.table.name, HEALTHSCORE_MODELS_DIR: MODELS_DIR_IN_BUNDLE };
      for (const v of vendors) env[`SECRET_${v.toUpperCase()}`] = c.secrets[v as keyof typeof c.secrets] as string;
      const otherBytes = Object.entries(env).reduce((n, [k, v]) => n + k.length + Buffer.byteLength(v), 'HEALTHSCORE_CONFIG'.length);
      env.HEALTHSCORE_CONFIG = runConfigJson(role, c, this.concurrency, model.ref, otherBytes);
      const f = new HealthscoreFunction(this, cap(role), {
        handlerFile: spec.file,
        functionName: `${c.stackName}-${kebab(role)}`,
        description: spec.description,
        memorySize: spec.memory,
        timeout: Duration.seconds(spec.timeoutSeconds),
        environment: env,
        logRetention,
        bundling,
      });
      if (spec.table.length)
        f.role.addToPolicy(new iam.PolicyStatement({ sid: 'TableCallsItMakes', actions: spec.table, resources: [this.table.tableArn] }));
      const secrets = vendors.map((v) => secretArn(c.secrets[v as keyof typeof c.secrets] as string));
      // summarize reads only the table: no vendor, so no secret statement at all.
      if (secrets.length > 0)
        f.role.addToPolicy(
          new iam.PolicyStatement({ sid: 'ReadItsVendorSecrets', actions: ['secretsmanager:GetSecretValue'], resources: secrets }),
        );
      if (c.secretsKmsKeyArn && secrets.length > 0)
        f.role.addToPolicy(
          new iam.PolicyStatement({
            sid: 'DecryptSecretsViaSecretsManager',
            actions: ['kms:Decrypt'],
            resources: [c.secretsKmsKeyArn],
            conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` } },
          }),
        );
      fns[role] = f;
    }
    this.functions = fns;

    this.run = new RunStateMachine(this, 'Run', {
      stateMachineName: `${c.stackName}-run`,
      plan: fns.plan.fn,
      scoreBatch: fns.scoreBatch.fn,
      summarize: fns.summarize.fn,
      maxConcurrency: this.concurrency.maxConcurrency,
      toleratedFailurePercent: c.toleratedFailurePercent,
      timeout: Duration.minutes(c.runTimeoutMinutes),
      logRetention,
      failures: this.failures,
    });

    new scheduler.Schedule(this, 'Schedule', {
      description: `Starts the healthscore run (${c.schedule.expression}, ${c.schedule.timezone})`,
      schedule: scheduler.ScheduleExpression.expression(c.schedule.expression, TimeZone.of(c.schedule.timezone)),
      enabled: c.schedule.enabled,
      target: new targets.StepFunctionsStartExecution(this.run.stateMachine, {
        // plan.ts scores "as of" the scheduled time, which is also the run id: a retried start resumes the same run.
        input: scheduler.ScheduleTargetInput.fromObject({ time: scheduler.ContextAttribute.scheduledTime }),
        deadLetterQueue: this.failures,
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
    });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      name: c.stackName,
      alarmEmails: typeof c.alarmEmail === 'string' ? [c.alarmEmail] : c.alarmEmail,
      stateMachine: this.run.stateMachine,
      functions: Object.fromEntries(Object.entries(fns).map(([k, f]) => [k, f.fn])),
      retriedFunction: 'scoreBatch',
      failures: this.failures,
      vendors: [c.crm, ...c.sources, ...deployedChannels(c)],
    });

    new CfnOutput(this, 'StateMachineArn', { value: this.run.stateMachine.stateMachineArn, description: 'Start a run by hand here' });
    new CfnOutput(this, 'SetupFunctionName', { value: fns.setup.fn.functionName, description: 'Invoke once after every deploy' });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'RunFailuresQueueUrl', { value: this.failures.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
    new CfnOutput(this, 'MaxConcurrency', {
      value: String(this.concurrency.maxConcurrency),
      description: `Distributed Map MaxConcurrency (limited by ${this.concurrency.limitedBy})`,
    });
  }
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

// The synthesized stack (example deploy config; esbuild skipped, the template is what is judged):
// table, functions, state machine, schedule, secrets, DLQ, alarms, dashboard, least privilege, and
// cdk-nag. One synthesis for the whole file; cdk-nag runs inside it and would throw on a finding.
import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../cdk/build-app.ts';
import { FUNCTIONS } from '../../cdk/healthscore-stack.ts';
import type { FunctionRole } from '../../cdk/run-configs.ts';
import { parseRunConfig } from '../../pipeline/run-config.ts';
import { tableKeySchema } from '../../pipeline/store/local-dynamo.ts';
import { EXAMPLE_CONFIG } from './support/configs.ts';
import { render, resourcesOf, statementsOf, type TemplateJson } from './support/template.ts';
import { arnWildcardJustified, resourceStarJustified } from './support/wildcards.ts';

const { app, stack } = buildApp({ configPath: EXAMPLE_CONFIG, bundling: false });
const assembly = app.synth();
const json = assembly.getStackByName(stack.stackName).template as TemplateJson;
const template = Template.fromJSON(json);
const text = JSON.stringify(json);

const fnId = (role: FunctionRole) => stack.getLogicalId(stack.functions[role].fn.node.defaultChild as never);
const fnProps = (role: FunctionRole) => json.Resources[fnId(role)]?.Properties as Record<string, unknown>;
const envOf = (role: FunctionRole) => (fnProps(role).Environment as { Variables: Record<string, string> }).Variables;
const policyOf = (role: FunctionRole) => {
  const roleId = stack.getLogicalId(stack.functions[role].role.node.defaultChild as never);
  const attachedToRole = (owner: string) => JSON.stringify(json.Resources[owner]?.Properties?.Roles ?? []).includes(`{"Ref":"${roleId}"}`);
  return statementsOf(json).filter((s) => attachedToRole(s.owner));
};

describe('table', () => {
  it('given the stack, then the table is on-demand, encrypted, with TTL on expiresAt, the run’s key schema, and retained', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        TableName: 'healthscore',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: tableKeySchema.KeySchema,
        AttributeDefinitions: tableKeySchema.AttributeDefinitions,
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      },
    });
  });

  it('given the stack, then point-in-time recovery and deletion protection are on for every replica (cdk-nag does not check TableV2)', () => {
    const tables = resourcesOf(json, 'AWS::DynamoDB::GlobalTable');
    expect(tables).toHaveLength(1);
    const replicas = (tables[0]?.[1].Properties?.Replicas ?? []) as Record<string, unknown>[];
    expect(replicas.length).toBeGreaterThan(0);
    for (const r of replicas) {
      expect(r.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(r.DeletionProtectionEnabled).toBe(true);
    }
  });
});

describe('functions', () => {
  it('given the stack, then all four run Node.js 24 on arm64 with memory, timeout, active tracing and JSON logs', () => {
    expect(resourcesOf(json, 'AWS::Lambda::Function')).toHaveLength(4);
    for (const [role, spec] of Object.entries(FUNCTIONS) as [FunctionRole, (typeof FUNCTIONS)[FunctionRole]][])
      expect(fnProps(role)).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: spec.memory,
        Timeout: spec.timeoutSeconds,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', LogGroup: { Ref: expect.any(String) } },
      });
  });

  it('given the stack, then each function logs to its own log group with the configured retention, deleted with the stack', () => {
    for (const role of Object.keys(FUNCTIONS) as FunctionRole[]) {
      const ref = (fnProps(role).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(json.Resources[ref]).toMatchObject({
        DeletionPolicy: 'Delete',
        Properties: { LogGroupName: `/aws/lambda/${fnProps(role).FunctionName}`, RetentionInDays: 90 },
      });
    }
  });

  it('given the stack, then each function gets the table name, the models folder and a valid run config with only its sections', () => {
    const sections = (role: FunctionRole) =>
      Object.keys(parseRunConfig(JSON.parse(envOf(role).HEALTHSCORE_CONFIG as string), role)).filter((k) =>
        ['hubspot', 'salesforce', 'stripe', 'zendesk', 'mixpanel'].includes(k),
      );
    for (const role of Object.keys(FUNCTIONS) as FunctionRole[]) {
      expect(envOf(role)).toMatchObject({ TABLE_NAME: 'healthscore', HEALTHSCORE_MODELS_DIR: '/var/task/models' });
      expect(Buffer.byteLength(JSON.stringify(envOf(role)))).toBeLessThan(4096);
    }
    expect(sections('plan')).toEqual(['hubspot', 'stripe', 'zendesk', 'mixpanel']);
    expect(sections('scoreBatch')).toEqual(['hubspot', 'stripe', 'zendesk', 'mixpanel']);
    expect(sections('summarize')).toEqual([]);
    expect(sections('setup')).toEqual(['hubspot']);
  });

  it('given N parallel workers, then score-batch’s budgets are the plan’s divided by N', () => {
    const n = stack.concurrency.maxConcurrency;
    const plan = JSON.parse(envOf('plan').HEALTHSCORE_CONFIG as string);
    const worker = JSON.parse(envOf('scoreBatch').HEALTHSCORE_CONFIG as string);
    expect(worker.hubspot.rateLimit.requests).toBe(Math.floor(plan.hubspot.rateLimit.requests / n));
    expect(worker.stripe.rateLimit.requests).toBe(Math.floor(plan.stripe.rateLimit.requests / n));
  });
});

describe('least privilege', () => {
  /** The DynamoDB commands the store sends, as IAM actions (pipeline/store/dynamo-store.ts). */
  const storeActions = ['GetItem', 'BatchGetItem', 'PutItem', 'BatchWriteItem', 'DeleteItem', 'Query', 'Scan'].map((a) => `dynamodb:${a}`);

  /**
   * What each function's code path sends to the table, written out here from the store's calls
   * (not read from the FUNCTIONS constant the stack is built from, so a widened grant fails here).
   * plan: getRun, savePlan, saveRun, source state; score-batch: also claimAlert/releaseAlert;
   * summarize: getRun and batchSummaries (a query); setup never touches the table. Scan serves
   * reports and backtests (allDays), which no function runs.
   */
  const expectedTableActions: Record<FunctionRole, string[]> = {
    plan: ['BatchGetItem', 'BatchWriteItem', 'GetItem', 'PutItem'],
    scoreBatch: ['BatchGetItem', 'BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem'],
    summarize: ['GetItem', 'Query'],
    setup: [],
  };

  it('given each function, then it may call exactly the DynamoDB actions its code path uses, on the table only', () => {
    expect(Object.keys(FUNCTIONS).sort()).toEqual(Object.keys(expectedTableActions).sort());
    for (const [role, actions] of Object.entries(expectedTableActions) as [FunctionRole, string[]][]) {
      const table = policyOf(role).filter((s) => s.actions.some((a) => a.startsWith('dynamodb:')));
      expect(table.flatMap((s) => s.actions).sort()).toEqual(actions.map((a) => `dynamodb:${a}`));
      for (const s of table) expect(s.resources).toEqual([`<${stack.getLogicalId(stack.table.node.defaultChild as never)}.Arn>`]);
      for (const a of actions) expect(storeActions).toContain(`dynamodb:${a}`);
    }
  });

  it('given each function, then it may read only the secrets of the vendors it calls', () => {
    const secretsOf = (role: FunctionRole) =>
      policyOf(role)
        .filter((s) => s.actions.includes('secretsmanager:GetSecretValue'))
        .flatMap((s) => s.resources.map((r) => /:secret:(.+)-\?{6}$/.exec(r)?.[1]));
    expect(secretsOf('plan')).toEqual(['healthscore/hubspot', 'healthscore/stripe', 'healthscore/zendesk', 'healthscore/mixpanel']);
    expect(secretsOf('scoreBatch')).toEqual([
      'healthscore/hubspot',
      'healthscore/stripe',
      'healthscore/zendesk',
      'healthscore/mixpanel',
      'healthscore/slack',
    ]);
    expect(secretsOf('summarize')).toEqual([]);
    expect(secretsOf('setup')).toEqual(['healthscore/hubspot']);
    for (const role of Object.keys(FUNCTIONS) as FunctionRole[])
      expect(Object.keys(envOf(role)).filter((k) => k.startsWith('SECRET_'))).toEqual(
        secretsOf(role).map((s) => `SECRET_${String(s).split('/')[1]?.toUpperCase()}`),
      );
  });

  it('given every policy in the template, then no allowed action is a wildcard and every "*" is one AWS requires', () => {
    const statements = statementsOf(json);
    expect(statements.length).toBeGreaterThan(10);
    for (const s of statements.filter((x) => x.effect === 'Allow')) {
      const keyPolicy = json.Resources[s.owner]?.Type === 'AWS::KMS::Key';
      // A key policy's account statement (kms:*) is AWS's default: without it the key could not be managed.
      for (const a of s.actions) if (!(keyPolicy && a === 'kms:*')) expect(a, `${s.owner}: ${a}`).not.toMatch(/(^\*$|:\*$)/);
      for (const r of s.resources) {
        if (r === '*') {
          if (keyPolicy) continue; // in a key policy, "*" is the key itself
          for (const a of s.actions) expect(resourceStarJustified[a], `${s.owner}: ${a} on "*"`).toBeDefined();
        } else if (r.includes('*'))
          expect(
            arnWildcardJustified.some(([re]) => re.test(r)),
            `${s.owner}: ${r}`,
          ).toBe(true);
      }
    }
  });
});

describe('secrets', () => {
  it('given the stack, then secrets are only referenced by name: none is created and no value or credential field is in the template', () => {
    expect(resourcesOf(json, 'AWS::SecretsManager::Secret')).toEqual([]);
    for (const pattern of [
      /SecretString/,
      /GenerateSecretString/,
      /"(accessToken|apiKey|apiToken|webhookUrl)"/,
      /\\"secret\\"/,
      /\b(sk|rk)_(live|test)_/,
      /pat-(na|eu)\d-/,
      /hooks\.slack\.com\/services/,
      /placeholder/,
    ])
      expect(text).not.toMatch(pattern);
  });
});

describe('run', () => {
  const sm = resourcesOf(json, 'AWS::StepFunctions::StateMachine')[0]?.[1].Properties ?? {};
  const definition = JSON.parse(render(sm.DefinitionString));

  it('given the state machine, then it plans, fans the batches out with a Distributed Map, and summarizes', () => {
    expect(definition.StartAt).toBe('Plan');
    expect(definition.States.Plan.Next).toBe('Paused?');
    expect(definition.States['Paused?'].Default).toBe('Batches');
    expect(definition.States.Batches).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.batches',
      MaxConcurrency: stack.concurrency.maxConcurrency,
      ToleratedFailurePercentage: 5,
      ResultPath: null,
      Next: 'Summarize',
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Score batch' },
    });
    expect(definition.States.Summarize.Parameters.Payload).toEqual({ 'runId.$': '$.runId' });
    expect(definition.TimeoutSeconds).toBe(20 * 3600);
  });

  it('given mode: paused, when plan says so, then the execution ends at once without batches or a summary', () => {
    expect(definition.States['Paused?'].Choices).toEqual([
      { Variable: '$.paused', BooleanEquals: true, Next: 'Paused' },
      { Variable: '$.skipped', BooleanEquals: true, Next: 'Skipped' },
    ]);
    expect(definition.States.Paused.Type).toBe('Succeed');
    // The previous run still in progress: plan logs it, counts RunsSkipped, and this execution ends (runs never overlap).
    expect(definition.States.Skipped.Type).toBe('Succeed');
  });

  it('given a worker that is throttled, hits a vendor limit or stops before its deadline, then it is retried with backoff and jitter', () => {
    const retry = definition.States.Batches.ItemProcessor.States['Score batch'].Retry as Record<string, unknown>[];
    const forError = (e: string) => retry.find((r) => (r.ErrorEquals as string[]).includes(e));
    for (const e of [
      'Lambda.TooManyRequestsException',
      'RateLimitedError',
      'TransientError',
      'BatchStoppedError',
      'Lambda.ServiceException',
    ])
      expect(forError(e), e).toMatchObject({ BackoffRate: 2, MaxAttempts: expect.any(Number) });
    for (const e of ['Lambda.TooManyRequestsException', 'RateLimitedError', 'BatchStoppedError'])
      expect(forError(e)).toMatchObject({ JitterStrategy: 'FULL' });
    for (const e of ['ConfigError', 'QuotaExhaustedError']) expect(forError(e), `${e} must not be retried`).toBeUndefined();
  });

  it('given any step failing, then the failure is written to the run DLQ and the execution fails', () => {
    for (const step of ['Plan', 'Batches', 'Summarize'])
      expect(definition.States[step].Catch).toEqual([{ ErrorEquals: ['States.ALL'], Next: 'Record failure' }]);
    expect(definition.States['Record failure']).toMatchObject({
      Resource: expect.stringContaining(':states:::sqs:sendMessage'),
      Next: 'Run failed',
    });
    expect(definition.States['Run failed']).toEqual({ Type: 'Fail', ErrorPath: '$.Error', CausePath: '$.Cause' });
  });

  it('given the state machine, then it logs ALL events (without execution data) and is traced', () => {
    expect(sm.TracingConfiguration).toEqual({ Enabled: true });
    expect(sm.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
  });

  it('given the schedule, then it starts the state machine at the configured time with the scheduled time as input, and a DLQ', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 5 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'ENABLED',
      Target: {
        Arn: { Ref: stack.getLogicalId(stack.run.stateMachine.node.defaultChild as never) },
        Input: '{"time":"<aws.scheduler.scheduled-time>"}',
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [stack.getLogicalId(stack.failures.node.defaultChild as never), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 3 },
      },
    });
  });

  it('given the run DLQ, then it is encrypted and refuses plain HTTP', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86400 });
    const deny = statementsOf(json).find((s) => s.effect === 'Deny' && s.actions.includes('sqs:*'));
    expect(deny).toBeDefined();
  });
});

describe('monitoring', () => {
  const alarms = resourcesOf(json, 'AWS::CloudWatch::Alarm').map(([, r]) => r.Properties as Record<string, unknown>);
  const byMetric = (name: string) => alarms.filter((a) => a.MetricName === name || JSON.stringify(a.Metrics ?? '').includes(`"${name}"`));

  it('given the stack, then failed and timed-out runs, function errors and throttles, and DLQ depth raise alarms to the topic', () => {
    expect(byMetric('ExecutionsFailed')).toHaveLength(1);
    expect(byMetric('ExecutionsTimedOut')).toHaveLength(1);
    expect(byMetric('Errors')).toHaveLength(4);
    expect(byMetric('Throttles')).toHaveLength(4);
    expect(byMetric('ApproximateNumberOfMessagesVisible')).toHaveLength(1);
    // A run that succeeds with a source down still pages someone.
    expect(byMetric('FailedSources')).toEqual([
      expect.objectContaining({ AlarmName: 'Healthscore-SourceFailed', Threshold: 1, Namespace: 'Healthscore' }),
    ]);
    const topic = stack.getLogicalId(stack.monitoring.topic.node.defaultChild as never);
    for (const a of alarms) expect(a.AlarmActions).toEqual([{ Ref: topic }]);
    expect(alarms.map((a) => a.AlarmName)).toContain('Healthscore-RunFailed');
  });

  it('given the alarm topic, then it is KMS-encrypted, SSL-only, and e-mails the configured address (undeliverable mail kept in the DLQ)', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'revops-alerts@example.com',
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue() },
    });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', Properties: { EnableKeyRotation: true, PendingWindowInDays: 7 } });
  });

  it('given the dashboard, then it shows the run metrics summarize publishes', () => {
    const body = render(resourcesOf(json, 'AWS::CloudWatch::Dashboard')[0]?.[1].Properties?.DashboardBody);
    for (const metric of [
      'AccountsScored',
      'AccountsUnknown',
      'Tier_green',
      'Tier_yellow',
      'Tier_red',
      'Tier_unknown',
      'CrmWrites',
      'AlertsSent',
      'FailedSources',
      'ShadowCrmWrites',
      'ShadowAlerts',
      'AccountsChurned',
      'AccountsLeftScope',
      'OutOfScopeRecords',
      ...['churned', 'renewed', 'expanded', 'contracted'].map((k) => `Outcomes_${k}`),
      ...['hubspot', 'stripe', 'zendesk', 'mixpanel', 'slack'].flatMap((v) => [`VendorCalls_${v}`, `RateLimited_${v}`]),
    ])
      expect(body).toContain(`"Healthscore","${metric}","service","healthscore"`);
  });
});

describe('cdk-nag', () => {
  it('given the stack, then the AwsSolutions and Serverless packs find nothing unacknowledged', () => {
    // app.synth() above already ran both packs as validation plugins (it throws on a finding); this names any finding.
    const findings = [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
      pack.validateScope(stack).violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath ?? ''}`)),
    );
    expect(findings).toEqual([]);
  });

  it('given every acknowledgement, then it carries a specific reason', () => {
    const reasons: string[] = [];
    for (const c of app.node.findAll())
      for (const m of c.node.metadata)
        if (m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) reasons.push(...Object.values(m.data as Record<string, string>));
    expect(reasons.length).toBeGreaterThan(5);
    for (const r of reasons) expect(r.length, r).toBeGreaterThan(60);
  });
});

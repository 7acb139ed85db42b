// The daily run as a Step Functions state machine: plan → Distributed Map over the batches (bounded
// concurrency, tolerated failures, retries with backoff) → summarize. Any failure is written to the
// run DLQ (what failed, with the execution's input) before the execution fails, so the DLQ alarm and
// the failed-executions alarm both see it.
import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

export interface RunStateMachineProps {
  stateMachineName: string;
  plan: lambda.IFunction;
  scoreBatch: lambda.IFunction;
  summarize: lambda.IFunction;
  maxConcurrency: number;
  toleratedFailurePercent: number;
  timeout: Duration;
  logRetention: logs.RetentionDays;
  failures: sqs.IQueue;
}

/** Lambda refusing the invocation (account or function concurrency): wait and try again. */
const lambdaThrottled: sfn.RetryProps = {
  errors: ['Lambda.TooManyRequestsException'],
  interval: Duration.seconds(5),
  backoffRate: 2,
  maxAttempts: 8,
  maxDelay: Duration.minutes(2),
  jitterStrategy: sfn.JitterType.FULL,
};

/** A vendor kept answering 429 or 5xx beyond the client's own capped retries (connectors/shared/errors.ts). */
const vendorThrottled: sfn.RetryProps = {
  errors: ['RateLimitedError', 'TransientError'],
  interval: Duration.seconds(30),
  backoffRate: 2,
  maxAttempts: 4,
  maxDelay: Duration.minutes(5),
  jitterStrategy: sfn.JitterType.FULL,
};

/**
 * score-batch stops before its deadline with a plain `Error` ("… stopped before the Lambda deadline;
 * it will be retried"); an unfinished batch is not checkpointed and every step is idempotent, so it
 * runs again. Sandbox.Timedout covers a worker killed at the deadline itself.
 */
const batchStopped: sfn.RetryProps = {
  errors: ['BatchStoppedError', 'Sandbox.Timedout'],
  interval: Duration.seconds(10),
  backoffRate: 2,
  maxAttempts: 3,
  jitterStrategy: sfn.JitterType.FULL,
};

export class RunStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: RunStateMachineProps) {
    super(scope, id);

    const plan = new tasks.LambdaInvoke(this, 'Plan', {
      lambdaFunction: props.plan,
      comment: 'List the CRM accounts into batches and sync every source once',
      outputPath: '$.Payload',
    });
    plan
      .addRetry(lambdaThrottled)
      .addRetry(vendorThrottled)
      .addRetry({ ...batchStopped, errors: ['TimeoutError', 'Sandbox.Timedout'] });

    const score = new tasks.LambdaInvoke(this, 'Score batch', {
      lambdaFunction: props.scoreBatch,
      comment: 'Score one batch, store the day, write back, alert; checkpointed when done',
      outputPath: '$.Payload',
    });
    score.addRetry(lambdaThrottled).addRetry(vendorThrottled).addRetry(batchStopped);

    const batches = new sfn.DistributedMap(this, 'Batches', {
      comment: 'Fan the planned batches out to score-batch workers',
      itemsPath: '$.batches',
      maxConcurrency: props.maxConcurrency,
      toleratedFailurePercentage: props.toleratedFailurePercent,
      resultPath: sfn.JsonPath.DISCARD,
      label: 'Batches',
    });
    batches.itemProcessor(score, { mode: sfn.ProcessorMode.DISTRIBUTED, executionType: sfn.ProcessorType.STANDARD });

    const summarize = new tasks.LambdaInvoke(this, 'Summarize', {
      lambdaFunction: props.summarize,
      comment: 'Aggregate the batch checkpoints, log the run summary, publish the run metrics',
      payload: sfn.TaskInput.fromObject({ runId: sfn.JsonPath.stringAt('$.runId') }),
      outputPath: '$.Payload',
    });
    summarize.addRetry(lambdaThrottled);

    const recordFailure = new tasks.SqsSendMessage(this, 'Record failure', {
      queue: props.failures,
      comment: 'Keep what failed, and the input to start the run again with, in the run DLQ',
      messageBody: sfn.TaskInput.fromObject({
        execution: sfn.JsonPath.stringAt('$$.Execution.Id'),
        startedAt: sfn.JsonPath.stringAt('$$.Execution.StartTime'),
        input: sfn.JsonPath.objectAt('$$.Execution.Input'),
        error: sfn.JsonPath.stringAt('$.Error'),
        cause: sfn.JsonPath.stringAt('$.Cause'),
      }),
      resultPath: sfn.JsonPath.DISCARD,
    });
    const failed = new sfn.Fail(this, 'Run failed', { errorPath: '$.Error', causePath: '$.Cause' });
    recordFailure.next(failed);
    for (const step of [plan, batches, summarize]) step.addCatch(recordFailure, { errors: [sfn.Errors.ALL] });

    // mode: paused (the kill switch): plan says so at once and the execution ends there, logged by plan.
    const pausedOrRun = new sfn.Choice(this, 'Paused?', { comment: 'mode: paused ends the run after plan, with nothing read or written' })
      .when(sfn.Condition.booleanEquals('$.paused', true), new sfn.Succeed(this, 'Paused', { comment: 'mode: paused' }))
      .when(
        sfn.Condition.booleanEquals('$.skipped', true),
        new sfn.Succeed(this, 'Skipped', { comment: 'the previous run is still in progress: runs never overlap' }),
      )
      .otherwise(batches.next(summarize));

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // The /aws/vendedlogs/ prefix keeps CloudWatch Logs' resource policy small.
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      comment: 'healthscore daily run: plan, score the batches in parallel, summarize',
      definitionBody: sfn.DefinitionBody.fromChainable(plan.next(pausedOrRun)),
      timeout: props.timeout,
      tracingEnabled: true,
      // Execution data stays out of the logs: the Lambda logs carry the run's details.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });

    // Each finding names the resource it is about, so each acknowledgement is built for that resource.
    const stack = Stack.of(this);
    const logicalId = (c: Construct) => stack.getLogicalId(c.node.defaultChild as CfnElement);
    const acknowledge = (id: string, reason: string) =>
      Validations.of(this.stateMachine).acknowledge({ id: `AwsSolutions-IAM5[${id}]`, reason });
    acknowledge(
      'Resource::*',
      'Resource "*" is required by AWS for the CloudWatch Logs vended-log delivery actions (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and the X-Ray actions (PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets): none supports resource-level permissions.',
    );
    for (const fn of [props.plan, props.scoreBatch, props.summarize])
      acknowledge(
        `Resource::<${logicalId(fn)}.Arn>:*`,
        `lambda:InvokeFunction on ${fn.node.id}'s own versions and aliases (<function ARN>:*), which the Step Functions Lambda integration grants with the function: no other function is reachable.`,
      );
    const executions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalId(this.stateMachine)}"}]}]}`;
    const why =
      "The Distributed Map describes and stops this state machine's own executions and its map runs' child executions, whose names are generated at run time; the wildcard covers only executions of this state machine.";
    acknowledge(`Resource::${executions}:*`, why);
    acknowledge(`Resource::${executions}/Batches:*`, why);
  }
}

// The cdk-nag gate itself: the stack's synthesis must fail as soon as someone adds a resource with
// an unacknowledged finding (stack.test.ts shows the shipped stack passes it).
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../cdk/build-app.ts';
import { EXAMPLE_CONFIG } from './support/configs.ts';

describe('cdk-nag gate', () => {
  it('given the stack plus a queue without encryption, SSL or DLQ, when synthesized, then synthesis fails naming each rule', () => {
    const { app, stack } = buildApp({ configPath: EXAMPLE_CONFIG, bundling: false });
    new sqs.Queue(stack, 'Careless', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    let message = '';
    try {
      app.synth();
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('A copy of this report can be found in');
    for (const rule of ['AwsSolutions-SQS2', 'AwsSolutions-SQS3', 'AwsSolutions-SQS4', 'Serverless-SQSRedrivePolicy'])
      expect(message).toContain(`Acknowledge with '${rule.split('-')[0]}::${rule}'`);
    expect(message).toContain('Healthscore/Careless/Resource');
    // Only the new queue is reported: everything the stack itself has is acknowledged.
    expect(message).not.toMatch(/Healthscore\/(Run|Plan|ScoreBatch|Summarize|Setup|Monitoring|RunFailures)\//);
  });
});

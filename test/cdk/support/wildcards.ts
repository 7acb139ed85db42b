// The wildcards the stack's IAM policies may contain, each with the reason AWS requires it; the
// least-privilege test fails on any other.

/** Resource "*" allowed only for these actions, each because the service has no resource-level permissions. */
export const resourceStarJustified: Record<string, string> = {
  'xray:PutTraceSegments': 'X-Ray has no resource-level permissions (Lambda and Step Functions tracing)',
  'xray:PutTelemetryRecords': 'X-Ray has no resource-level permissions',
  'xray:GetSamplingRules': 'X-Ray has no resource-level permissions',
  'xray:GetSamplingTargets': 'X-Ray has no resource-level permissions',
  'logs:CreateLogDelivery': 'CloudWatch Logs vended-log delivery (state machine logging) requires "*"',
  'logs:GetLogDelivery': 'vended-log delivery requires "*"',
  'logs:UpdateLogDelivery': 'vended-log delivery requires "*"',
  'logs:DeleteLogDelivery': 'vended-log delivery requires "*"',
  'logs:ListLogDeliveries': 'vended-log delivery requires "*"',
  'logs:PutResourcePolicy': 'vended-log delivery requires "*"',
  'logs:DescribeResourcePolicies': 'vended-log delivery requires "*"',
  'logs:DescribeLogGroups': 'vended-log delivery requires "*"',
};
/** Wildcards inside an ARN, each scoped to one of our own resources. */
export const arnWildcardJustified: [RegExp, string][] = [
  [/^<\w+Function\w+\.Arn>:\*$/, 'the Step Functions Lambda integration invokes the function and its versions / aliases'],
  [
    /:states:<AWS::Region>:<AWS::AccountId>:execution:.*RunStateMachine\w+.*(:\*|\/Batches:\*)$/,
    'this state machine’s own executions and map runs',
  ],
];

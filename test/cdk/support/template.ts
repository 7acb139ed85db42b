// Reading a synthesized CloudFormation template in tests: resources by type, IAM statements from
// every kind of policy, and intrinsic functions rendered as readable strings.

export interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}
export interface TemplateJson {
  Resources: Record<string, Resource>;
}

export function resourcesOf(t: TemplateJson, type: string): [string, Resource][] {
  return Object.entries(t.Resources).filter(([, r]) => r.Type === type);
}

/** An intrinsic as text: Ref → <Id>, GetAtt → <Id.Attr>, Join → joined, others as JSON. */
export function render(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('Ref' in o) return `<${String(o.Ref)}>`;
    if ('Fn::GetAtt' in o) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(sep);
    }
  }
  return JSON.stringify(v);
}

export interface Statement {
  /** Which resource's policy it is in. */
  owner: string;
  effect: string;
  actions: string[];
  resources: string[];
  principal: unknown;
}

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Every statement of every IAM policy, role inline policy, KMS key policy and SQS / SNS resource policy. */
export function statementsOf(t: TemplateJson): Statement[] {
  const out: Statement[] = [];
  const add = (owner: string, doc: unknown) => {
    for (const s of list((doc as { Statement?: unknown } | undefined)?.Statement) as Record<string, unknown>[])
      out.push({
        owner,
        effect: String(s.Effect),
        actions: list(s.Action).map(render),
        resources: list(s.Resource).map(render),
        principal: s.Principal,
      });
  };
  for (const [id, r] of Object.entries(t.Resources)) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::SQS::QueuePolicy' || r.Type === 'AWS::SNS::TopicPolicy')
      add(id, p.PolicyDocument);
    if (r.Type === 'AWS::IAM::Role') for (const pol of list(p.Policies) as { PolicyDocument: unknown }[]) add(id, pol.PolicyDocument);
    if (r.Type === 'AWS::KMS::Key') add(id, p.KeyPolicy);
  }
  return out;
}

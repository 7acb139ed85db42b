// A local AWS Secrets Manager speaking the real JSON protocol for GetSecretValue, so the Lambda
// handlers read their vendor secrets through Powertools and the AWS SDK exactly as in AWS.
import { FakeHttpServer } from '../../connectors/shared/fake/server.ts';

export interface FakeSecretsManager {
  endpoint: string;
  reads: string[];
  close(): Promise<void>;
}

export async function startFakeSecretsManager(secrets: Record<string, string>): Promise<FakeSecretsManager> {
  const server = new FakeHttpServer();
  const reads: string[] = [];
  server.route('POST', '/', (req) => {
    if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue')
      return { status: 400, body: { __type: 'InvalidAction', message: 'unsupported' } };
    const id = String((JSON.parse(req.body) as { SecretId?: string }).SecretId);
    reads.push(id);
    const value = secrets[id];
    if (value === undefined)
      return { status: 400, body: { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." } };
    return {
      status: 200,
      body: {
        ARN: `arn:aws:secretsmanager:local:000000000000:secret:${id}`,
        Name: id,
        SecretString: value,
        VersionId: 'v1',
        CreatedDate: 1_700_000_000,
      },
    };
  });
  const endpoint = await server.start();
  return { endpoint, reads, close: () => server.stop() };
}

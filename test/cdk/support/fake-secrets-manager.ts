// A fake AWS Secrets Manager on 127.0.0.1 for the bundle test: answers GetSecretValue (AWS JSON 1.1
// protocol, as the SDK inside the bundle speaks it) from an in-memory map, and counts the reads.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSecretsManager {
  url: string;
  /** SecretId → how many times it was read. */
  reads: Map<string, number>;
  /** SecretIds in the order they were read. */
  log: string[];
  close(): Promise<void>;
}

export async function startFakeSecretsManager(secrets: Record<string, string>): Promise<FakeSecretsManager> {
  const reads = new Map<string, number>();
  const log: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(payload));
      };
      // Docs: https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
      if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue')
        return reply(400, { __type: 'UnknownOperationException', message: String(req.headers['x-amz-target']) });
      const id = String((JSON.parse(body) as { SecretId?: string }).SecretId);
      reads.set(id, (reads.get(id) ?? 0) + 1);
      log.push(id);
      const value = secrets[id];
      if (value === undefined)
        return reply(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
      reply(200, {
        ARN: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${id}-AbCdEf`,
        Name: id,
        SecretString: value,
        VersionId: '00000000-0000-4000-8000-000000000000',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 1_700_000_000,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, reads, log, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

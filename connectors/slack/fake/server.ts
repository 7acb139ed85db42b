// A local Slack incoming webhook: answers as Slack does ("ok", "invalid_payload", "no_service"; a
// 429 with Retry-After through `server.inject`, since Slack allows short bursts) and keeps every
// message for tests and the demo to read.
import { FakeHttpServer } from '../../shared/fake/server.ts';

export interface SlackFake {
  webhookUrl: string;
  server: FakeHttpServer;
  messages: Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startSlackFake(): Promise<SlackFake> {
  const server = new FakeHttpServer();
  const messages: Record<string, unknown>[] = [];
  const path = '/services/T0HEALTH/B0SCORE/fakewebhooksecret01';
  server.route('POST', '/services/:team/:bot/:secret', (req) => {
    if (req.path !== path) return { status: 404, body: 'no_service' };
    const json = req.json as Record<string, unknown> | undefined;
    if (!json || (typeof json.text !== 'string' && !Array.isArray(json.blocks))) return { status: 400, body: 'invalid_payload' };
    messages.push(json);
    return { status: 200, body: 'ok' };
  });
  const url = await server.start();
  return { webhookUrl: `${url}${path}`, server, messages, close: () => server.stop() };
}

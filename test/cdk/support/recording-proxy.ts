// A pass-through HTTP proxy on 127.0.0.1 that logs the AWS JSON-protocol operation of every request
// (the X-Amz-Target header, e.g. DynamoDB_20120810.GetItem → GetItem): the bundle test points a
// function's SDK at it to see which DynamoDB calls the function really makes.
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingProxy {
  url: string;
  /** Operations in the order they were called. */
  log: string[];
  close(): Promise<void>;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const log: string[] = [];
  const server = createServer((req, res) => {
    const op = String(req.headers['x-amz-target'] ?? '').split('.')[1];
    if (op) log.push(op);
    const up = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, log, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

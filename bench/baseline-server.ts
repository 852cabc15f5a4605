// The bench's yardstick: a bare node:http server that reads each request body and answers with a
// canned response of the same size Pier gave for that action (captured by run.ts). It does no
// queue work, so Pier/baseline shows what Pier's own work costs over HTTP and JSON transport.
// Usage: node dist/bench/baseline-server.js CANNED.json   (prints `listening on http://HOST:PORT`)
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: baseline-server CANNED.json\n');
  process.exit(2);
}
const canned = new Map<string, Buffer>(
  Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v)]),
);
const unknown = Buffer.from('{"__type":"com.amazonaws.sqs#InvalidAction","message":"unknown action"}');

const server = createServer((req, res) => {
  const target = req.headers['x-amz-target'];
  const action = typeof target === 'string' ? target.replace(/^AmazonSQS\./, '') : '';
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    Buffer.concat(chunks); // the same copy Pier makes before parsing
    const body = canned.get(action);
    res.writeHead(body ? 200 : 400, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': randomUUID(),
      'content-length': (body ?? unknown).length,
    });
    res.end(body ?? unknown);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo;
  process.stdout.write(`listening on http://${address}:${port}\n`);
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

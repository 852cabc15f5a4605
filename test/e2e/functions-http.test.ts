// A function that is an HTTP URL: Pier POSTs the SQSEvent as JSON to a real HTTP server; its
// response body is the result (partial batch responses included); a 5xx or a slow answer fails.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { startPier, type StartedPier } from '../../src/index.js';
import { client, depth, fnMetrics, waitFor } from './functions-helpers.js';

interface Seen {
  headers: Record<string, string | string[] | undefined>;
  event: { Records: { messageId: string; body: string }[] };
}
const seen: Seen[] = [];
let server: Server;
let pier: StartedPier;
let sqs: SQSClient;

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const event = JSON.parse(body) as Seen['event'];
      seen.push({ headers: req.headers, event });
      const bodies = event.Records.map((r) => r.body);
      if (bodies.includes('http-500')) return res.writeHead(500).end('handler blew up');
      if (bodies.includes('slow')) return setTimeout(() => res.end('{}'), 3000).unref();
      const failures = event.Records.filter((r) => r.body.startsWith('bad')).map((r) => ({ itemIdentifier: r.messageId }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ batchItemFailures: failures }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  pier = await startPier({
    logLevel: 'error',
    config: {
      queues: { web: { attributes: { VisibilityTimeout: 30 } } },
      functions: { web: { url, timeout: 1, events: [{ queue: 'web', functionResponseTypes: ['ReportBatchItemFailures'], maximumConcurrency: 2 }] } },
    },
  });
  sqs = client(pier.endpoint);
});
after(async () => {
  sqs.destroy();
  await pier.stop();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const send = (bodies: string[]) => sqs.send(new SendMessageBatchCommand({ QueueUrl: pier.queueUrl('web'), Entries: bodies.map((MessageBody, i) => ({ Id: String(i), MessageBody })) }));

test('the event is POSTed as JSON; a partial batch response keeps exactly the failed ones', async () => {
  await send(['one', 'bad-two', 'three']);
  await waitFor(async () => (await fnMetrics(pier.endpoint, 'web')).messagesDeleted === 2, 'two deleted');
  assert.equal(seen[0]!.headers['content-type'], 'application/json');
  assert.match(String(seen[0]!.headers['lambda-runtime-aws-request-id']), /^[0-9a-f-]{36}$/);
  assert.deepEqual(seen[0]!.event.Records.map((r) => r.body), ['one', 'bad-two', 'three']);
  assert.deepEqual(await depth(sqs, pier.queueUrl('web')), { visible: 0, inflight: 1 });
});

test('a 5xx answer and an answer after the timeout are failed invocations', async () => {
  await send(['http-500']);
  await send(['slow']);
  await waitFor(async () => {
    const m = await fnMetrics(pier.endpoint, 'web');
    return m.errors === 1 && m.timeouts === 1;
  }, 'one error and one timeout', 5000);
  assert.deepEqual(await depth(sqs, pier.queueUrl('web')), { visible: 0, inflight: 3 });
});

// `pier queues list|create|purge|peek` and `pier functions list` against a running server over
// HTTP. Peek must not change receive counts or visibility for other consumers.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { client, depth, FN } from './functions-helpers.js';
import { runPier, startPier as startPierProcess, tempDir, type PierProcess } from './pier-process.js';

const tmp = tempDir('cli');
let pier: PierProcess;
let sqs: SQSClient;
const cli = (...args: string[]) => runPier([...args, '--endpoint', pier.endpoint]);

before(async () => {
  const config = join(tmp.dir, 'pier.config.yaml');
  writeFileSync(config, `queues:\n  work: {}\nfunctions:\n  worker:\n    handler: app.handler\n    codeUri: ${join(FN, 'esm')}\n    environment: { OUT_FILE: ${join(tmp.dir, 'out.jsonl')} }\n    events: [{ queue: work, batchSize: 5, maximumConcurrency: 2 }]\n`);
  pier = await startPierProcess(['--port', '0', '--storage', 'memory', '--config', config]);
  sqs = client(pier.endpoint);
});
after(async () => {
  sqs.destroy();
  await pier.stop();
  tmp.cleanup();
});

test('queues create (attributes, tags, FIFO by name) and list with counts', async () => {
  const made = await cli('queues', 'create', 'orders', '--attribute', 'VisibilityTimeout=40', '--tag', 'team=shop');
  assert.equal(made.code, 0, made.stderr);
  assert.equal(made.stdout.trim(), `${pier.endpoint}/000000000000/orders`);
  assert.equal((await cli('queues', 'create', 'jobs.fifo')).code, 0);
  await sqs.send(new SendMessageBatchCommand({ QueueUrl: `${pier.endpoint}/000000000000/orders`, Entries: ['a', 'b', 'c'].map((MessageBody, i) => ({ Id: String(i), MessageBody })) }));
  const listed = await cli('queues', 'list');
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /^NAME\s+VISIBLE\s+IN-FLIGHT\s+DELAYED\s+URL$/m);
  assert.match(listed.stdout, /^orders\s+3\s+0\s+0\s+http:\/\/\S+\/orders$/m);
  assert.match(listed.stdout, /^jobs\.fifo\s+0\s+0\s+0\s/m);
  const json = JSON.parse((await cli('queues', 'list', '--prefix', 'ord', '--json')).stdout) as { queues: { name: string; visible: number }[] };
  assert.deepEqual(json.queues.map((q) => [q.name, q.visible]), [['orders', 3]]);
});

test('queues peek shows messages without receiving them', async () => {
  const url = `${pier.endpoint}/000000000000/orders`;
  const text = await cli('queues', 'peek', 'orders', '--max', '2');
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /receives 0\n  a\n/);
  const peeked = JSON.parse((await cli('queues', 'peek', url, '--json')).stdout) as { messages: { Body: string; Attributes: Record<string, string> }[] };
  assert.deepEqual(peeked.messages.map((m) => m.Body), ['a', 'b', 'c']);
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
  assert.equal(got.Messages?.length, 3, 'every message was still visible after two peeks');
  assert.deepEqual(got.Messages!.map((m) => m.Attributes?.ApproximateReceiveCount), ['1', '1', '1'], 'peeks did not count as receives');
  const inflight = JSON.parse((await cli('queues', 'peek', 'orders', '--json')).stdout) as { messages: unknown[] };
  assert.equal(inflight.messages.length, 0, 'in-flight messages are not shown');
  assert.deepEqual(await depth(sqs, url), { visible: 0, inflight: 3 }, 'and their visibility is unchanged');
});

test('queues purge empties the queue', async () => {
  await sqs.send(new SendMessageCommand({ QueueUrl: `${pier.endpoint}/000000000000/jobs.fifo`, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'x' }));
  const r = await cli('queues', 'purge', 'jobs.fifo');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^purged http:\/\/\S+\/jobs\.fifo$/m);
  assert.deepEqual(await depth(sqs, `${pier.endpoint}/000000000000/jobs.fifo`), { visible: 0, inflight: 0 });
});

test('functions list shows functions, mappings and counters', async () => {
  const r = await cli('functions', 'list');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^FUNCTION\s+HANDLER\s+TIMEOUT\s+INVOCATIONS\s+ERRORS\s+THROTTLES\s+AVG\s+QUEUE\s+BATCH\s+CONCURRENCY\s+STATE$/m);
  assert.match(r.stdout, /^worker\s+app\.handler\s+3s\s+0\s+0\s+0\s+-\s+work\s+5\s+2\s+Enabled$/m);
  const json = JSON.parse((await cli('functions', 'list', '--json')).stdout) as { functions: { name: string; mappings: { eventSourceArn: string }[] }[] };
  assert.equal(json.functions[0]!.mappings[0]!.eventSourceArn, 'arn:aws:sqs:us-east-1:000000000000:work');
});

test('errors: no server, unknown queue, unknown subcommand — one line, exit 1', async () => {
  const down = await runPier(['queues', 'list', '--endpoint', 'http://127.0.0.1:9']);
  assert.equal(down.code, 1);
  assert.match(down.stderr, /^pier: cannot reach Pier at http:\/\/127\.0\.0\.1:9/);
  const missing = await cli('queues', 'peek', 'nope');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /QueueDoesNotExist/);
  const bad = await cli('queues', 'frob');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /unknown or missing subcommand: pier queues frob/);
});

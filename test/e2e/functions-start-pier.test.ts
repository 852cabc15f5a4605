// startPier(): the library entry for users' test suites — starts fast on a free port with memory
// or SQLite storage, takes a config as a path or an object, and leaves nothing behind.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { startPier } from '../../src/index.js';
import { client, scratch } from './functions-helpers.js';

test('memory storage: starts quickly, serves SQS, stops', async (t) => {
  const t0 = performance.now();
  const pier = await startPier();
  const ms = performance.now() - t0;
  t.diagnostic(`startPier() (memory) took ${ms.toFixed(1)} ms`);
  const sqs = client(pier.endpoint);
  try {
    assert.ok(ms < 3000, `started in ${ms.toFixed(0)} ms`);
    assert.match(pier.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'jobs' }));
    assert.equal(QueueUrl, pier.queueUrl('jobs'));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hi' }));
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0]?.Body, 'hi');
  } finally {
    sqs.destroy();
    await pier.stop();
  }
  await assert.rejects(fetch(`${pier.endpoint}/health`), 'stopped');
});

test('sqlite storage in a temporary directory, removed by stop(); config from a YAML path', async () => {
  const tmp = scratch('sp');
  const file = join(tmp.dir, 'pier.config.yaml');
  writeFileSync(file, 'queues:\n  orders: { attributes: { VisibilityTimeout: 12 } }\n');
  const pier = await startPier({ storage: 'sqlite', config: file });
  const sqs = client(pier.endpoint);
  try {
    const got = await sqs.send(new SendMessageCommand({ QueueUrl: pier.queueUrl('orders'), MessageBody: 'declared' }));
    assert.ok(got.MessageId);
  } finally {
    sqs.destroy();
    await pier.stop();
    tmp.cleanup();
  }
});

test('a bad config rejects with the key at fault and starts nothing', async () => {
  await assert.rejects(startPier({ storage: 'sqlite', config: { functions: { f: { handler: 'a.b', events: [{ queue: 'missing' }] } } } }), /config: functions\.f\.events\[0\]\.queue: no queue named missing/);
});

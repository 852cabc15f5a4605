// Graceful shutdown: SIGTERM or SIGINT answers a waiting long poll with no messages, the process
// exits 0, and what was acknowledged before the signal is there after a restart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { sleep, sqsClient, startPier, tempDir } from './pier-process.js';

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  // The long poll waits 20 s; a timeout below that fails the test if the signal does not end it.
  test(`${signal}: a waiting long poll answers empty, the process exits 0, acknowledged data survives`, { timeout: 15_000 }, async (t) => {
    const { dir, cleanup } = tempDir(`shutdown-${signal}`);
    t.after(cleanup);
    const pier = await startPier(['--port', '0', '--data-dir', dir]);
    t.after(() => pier.stop('SIGKILL'));
    const client = sqsClient(pier.endpoint);
    t.after(() => client.destroy());

    const { QueueUrl: kept } = await client.send(new CreateQueueCommand({ QueueName: 'kept', Attributes: { VisibilityTimeout: '40' } }));
    const bodies = Array.from({ length: 11 }, (_, i) => `before ${signal} #${i}`);
    await client.send(new SendMessageBatchCommand({ QueueUrl: kept, Entries: bodies.slice(0, 10).map((b, i) => ({ Id: `m${i}`, MessageBody: b })) }));
    await client.send(new SendMessageCommand({ QueueUrl: kept, MessageBody: bodies[10]! }));
    const { QueueUrl: idle } = await client.send(new CreateQueueCommand({ QueueName: 'idle' }));

    const poll = client.send(new ReceiveMessageCommand({ QueueUrl: idle, WaitTimeSeconds: 20, MaxNumberOfMessages: 10 }));
    // Give the request time to reach the server and start waiting (not an assertion about timing:
    // a poll that arrives after the signal must also be answered empty).
    await sleep(500);
    assert.equal(pier.child.exitCode, null, 'still running before the signal');
    pier.child.kill(signal);

    const answer = await poll;
    assert.equal(answer.$metadata.httpStatusCode, 200);
    assert.deepEqual(answer.Messages ?? [], [], 'the long poll answered with no messages');
    assert.deepEqual(await pier.exited, { code: 0, signal: null }, `exit status (stderr: ${pier.stderr()})`);

    const again = await startPier(['--port', '0', '--data-dir', dir]);
    t.after(() => again.stop('SIGKILL'));
    const c2 = sqsClient(again.endpoint);
    t.after(() => c2.destroy());
    const { QueueUrl } = await c2.send(new GetQueueUrlCommand({ QueueName: 'kept' }));
    const attrs = await c2.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout', 'ApproximateNumberOfMessages'] }));
    assert.deepEqual(attrs.Attributes, { VisibilityTimeout: '40', ApproximateNumberOfMessages: '11' });
    const seen: string[] = [];
    for (let i = 0; i < 10 && seen.length < bodies.length; i++) {
      const got = await c2.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      seen.push(...(got.Messages ?? []).map((m) => m.Body!));
    }
    assert.deepEqual(seen.sort(), [...bodies].sort());

    // And the restarted server shuts down cleanly too, with an idle keep-alive connection open.
    assert.deepEqual(await again.stop(signal), { code: 0, signal: null });
  });
}

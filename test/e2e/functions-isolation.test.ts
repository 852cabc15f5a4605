// A handler that crashes, hangs in an infinite loop or blows its memory never stalls the API or
// other functions: each runs in its own process, a hang is killed at the function timeout, a heap
// blow-up ends only that process (its V8 heap is capped at MemorySize), and the next invocation
// gets a fresh environment.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GetQueueAttributesCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { startPier, type StartedPier } from '../../src/index.js';
import { client, depth, FN, fnMetrics, lines, scratch, waitFor } from './functions-helpers.js';

const tmp = scratch('iso');
let pier: StartedPier;
let sqs: SQSClient;

before(async () => {
  pier = await startPier({
    logLevel: 'error',
    config: {
      queues: { bad: { attributes: { VisibilityTimeout: 30 } }, hang: { attributes: { VisibilityTimeout: 30 } }, good: {} },
      functions: {
        bad: { handler: 'app.handler', codeUri: `${FN}/esm`, timeout: 10, memorySize: 128, environment: { OUT_FILE: tmp.out('bad') }, events: [{ queue: 'bad', batchSize: 1, maximumConcurrency: 2 }] },
        hang: { handler: 'app.handler', codeUri: `${FN}/esm`, timeout: 1, environment: { OUT_FILE: tmp.out('hang') }, events: [{ queue: 'hang', batchSize: 1 }] },
        good: { handler: 'app.handler', codeUri: `${FN}/esm`, environment: { OUT_FILE: tmp.out('good') }, events: [{ queue: 'good', batchSize: 1 }] },
      },
    },
  });
  sqs = client(pier.endpoint);
});
after(async () => {
  sqs.destroy();
  await pier.stop();
  tmp.cleanup();
});

/** Worst round trip of a steady stream of API calls while `during` runs. */
async function worstLatency(during: Promise<void>): Promise<number> {
  let done = false;
  void during.finally(() => (done = true));
  let worst = 0;
  while (!done) {
    const t = performance.now();
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: pier.queueUrl('good'), AttributeNames: ['All'] }));
    worst = Math.max(worst, performance.now() - t);
    await new Promise((r) => setTimeout(r, 10));
  }
  await during;
  return worst;
}

test('crash, infinite loop and heap blow-up: failed invocations, a responsive API, other functions unaffected', async (t) => {
  for (const b of ['crash', 'oom']) await sqs.send(new SendMessageCommand({ QueueUrl: pier.queueUrl('bad'), MessageBody: b }));
  await sqs.send(new SendMessageCommand({ QueueUrl: pier.queueUrl('hang'), MessageBody: 'hang' }));
  const settled = waitFor(async () => (await fnMetrics(pier.endpoint, 'bad')).crashes === 2 && (await fnMetrics(pier.endpoint, 'hang')).timeouts === 1, 'crash, oom and hang to end', 40_000);
  // Meanwhile the healthy function keeps working.
  const good = (async () => {
    for (let i = 0; i < 5; i++) await sqs.send(new SendMessageCommand({ QueueUrl: pier.queueUrl('good'), MessageBody: `g${i}` }));
    await waitFor(() => lines(tmp.out('good')).length === 5, 'the healthy function processed all');
  })();
  const worst = await worstLatency(Promise.all([settled, good]).then(() => undefined));
  // In-process, the endless loop alone would block the API for good; 1 s is its function timeout.
  t.diagnostic(`worst API round trip while handlers misbehaved: ${worst.toFixed(0)} ms`);
  assert.ok(worst < 1000, `API round trips stayed fast while handlers misbehaved (worst ${worst.toFixed(0)} ms)`);
  assert.deepEqual(await depth(sqs, pier.queueUrl('bad')), { visible: 0, inflight: 2 }, 'the failed messages wait for their visibility timeout');
  assert.deepEqual(await depth(sqs, pier.queueUrl('hang')), { visible: 0, inflight: 1 });
  const m = await fnMetrics(pier.endpoint, 'bad');
  assert.equal(m.invocations, 2);
  assert.equal(m.messagesDeleted, 0);
  assert.equal(lines(tmp.out('hang')).length, 1, 'the hung invocation was killed, not retried yet');
});

test('after a crash the function gets a fresh process and works again', async () => {
  await sqs.send(new SendMessageCommand({ QueueUrl: pier.queueUrl('bad'), MessageBody: 'fine' }));
  await waitFor(async () => (await fnMetrics(pier.endpoint, 'bad')).messagesDeleted === 1, 'a normal invocation after the failures', 10_000);
  const pids = new Set(lines<{ pid: number }>(tmp.out('bad')).map((l) => l.pid));
  assert.equal(pids.size, 3, 'crash and oom each ended their process; the next invocation got a fresh one');
});

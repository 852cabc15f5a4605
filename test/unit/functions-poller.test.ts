// Event source mapping semantics on a ManualClock (shared/spec §9.3): success deletes the batch,
// failure and timeout leave it for the visibility timeout and then the DLQ, partial batch
// responses delete exactly the others, batching windows, concurrency caps, throttles, filters.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SqsEvent } from '../../src/functions/types.js';
import { bodies, idle, startFunctions, until } from './functions-harness.js';
import { counts, type Harness, makeQueue, send, urlFor } from './helpers.js';

const withQueue = (attributes: Record<string, string> = {}, messages: string[] = []) => async (h: Harness) => {
  const url = await makeQueue(h, 'q1', { VisibilityTimeout: '30', ...attributes });
  for (const m of messages) await send(h, url, m);
};

test('a successful invocation deletes its whole batch', async () => {
  const f = await startFunctions(async () => ({ ok: true }), { before: withQueue({}, ['m1', 'm2', 'm3']) });
  await until(async () => (await counts(f, urlFor('q1'))).inflight === 0 && f.invoker.calls.length === 1, 'batch deleted');
  assert.deepEqual(bodies(f.invoker.calls[0]!), ['m1', 'm2', 'm3']);
  assert.deepEqual(await counts(f, urlFor('q1')), { visible: 0, inflight: 0, delayed: 0 });
  assert.equal(f.host.metrics.of('fn').messagesDeleted, 3);
  assert.ok(f.logs.some((l) => l.msg === 'invocation' && 'requestId' in l.obj), 'each invocation is logged with its request id');
  await f.stop();
});

test('a failed batch reappears after the visibility timeout, then goes to the DLQ after maxReceiveCount', async () => {
  const f = await startFunctions(
    async () => {
      throw new Error('boom');
    },
    {
      before: async (h) => {
        await makeQueue(h, 'dlq');
        const url = await makeQueue(h, 'q1', { VisibilityTimeout: '30', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq', maxReceiveCount: 2 }) });
        await send(h, url, 'poison');
      },
    },
  );
  await until(() => f.invoker.calls.length === 1, 'first attempt');
  await idle();
  assert.equal(f.invoker.calls.length, 1, 'no retry before the visibility timeout');
  assert.deepEqual(await counts(f, urlFor('q1')), { visible: 0, inflight: 1, delayed: 0 });
  f.clock.advance(30_000);
  await until(() => f.invoker.calls.length === 2, 'second attempt');
  assert.equal(f.invoker.calls[1]!.Records[0]!.attributes.ApproximateReceiveCount, '2');
  f.clock.advance(30_000);
  await until(async () => (await counts(f, urlFor('dlq'))).visible === 1, 'moved to the DLQ');
  assert.equal(f.invoker.calls.length, 2, 'not invoked a third time');
  assert.equal(f.host.metrics.of('fn').errors, 2);
  await f.stop();
});

test('partial batch failure deletes exactly the others; only the failed ids come back', async () => {
  const seen: string[][] = [];
  const f = await startFunctions(
    async (e: SqsEvent) => {
      seen.push(bodies(e));
      return { batchItemFailures: e.Records.filter((r) => r.body.startsWith('bad')).map((r) => ({ itemIdentifier: r.messageId })) };
    },
    { before: withQueue({}, ['ok1', 'bad1', 'ok2', 'bad2', 'ok3']), mapping: { reportBatchItemFailures: true } },
  );
  await until(async () => (await counts(f, urlFor('q1'))).inflight === 2, 'others deleted');
  f.clock.advance(30_000);
  await until(() => seen.length === 2, 'retry');
  assert.deepEqual(seen[1]!.sort(), ['bad1', 'bad2']);
  const failedIds = f.invoker.calls[0]!.Records.filter((r) => r.body.startsWith('bad')).map((r) => r.messageId).sort();
  assert.deepEqual(f.invoker.calls[1]!.Records.map((r) => r.messageId).sort(), failedIds, 'the same messages, by id');
  await f.stop();
});

test('a malformed partial response fails the whole batch; without ReportBatchItemFailures it is ignored', async () => {
  const misnamed = async (e: SqsEvent) => ({ batchItemFailures: [{ itemIdentifer: e.Records[0]!.messageId }] });
  const strict = await startFunctions(misnamed, { before: withQueue({}, ['a', 'b']), mapping: { reportBatchItemFailures: true } });
  await until(() => strict.invoker.calls.length === 1);
  await until(async () => strict.logs.some((l) => l.msg.startsWith('invocation')));
  assert.deepEqual(await counts(strict, urlFor('q1')), { visible: 0, inflight: 2, delayed: 0 }, 'nothing deleted');
  assert.ok(strict.logs.some((l) => l.msg.startsWith('partial batch response rejected')));
  await strict.stop();

  const lax = await startFunctions(misnamed, { before: withQueue({}, ['a', 'b']) });
  await until(async () => (await counts(lax, urlFor('q1'))).inflight === 0 && lax.invoker.calls.length === 1, 'all deleted');
  await lax.stop();
});

test('a function timeout aborts the invocation and leaves the batch', async () => {
  let aborted = false;
  const f = await startFunctions((_e, signal) => new Promise(() => signal.addEventListener('abort', () => (aborted = true))), { before: withQueue({}, ['slow']), timeoutSeconds: 2 });
  await until(() => f.invoker.calls.length === 1);
  f.clock.advance(1999);
  await idle();
  assert.equal(aborted, false, 'not before the timeout');
  f.clock.advance(1);
  await until(() => f.host.metrics.of('fn').timeouts === 1, 'timeout counted');
  assert.equal(aborted, true);
  assert.deepEqual(await counts(f, urlFor('q1')), { visible: 0, inflight: 1, delayed: 0 });
  const line = f.logs.find((l) => l.msg === 'invocation failed')!.obj as { errorMessage: string };
  assert.equal(line.errorMessage, 'Task timed out after 2.00 seconds');
  await f.stop();
});

test('the batching window gathers records until it closes, or until the batch is full', async () => {
  const f = await startFunctions(async () => undefined, { before: withQueue(), mapping: { batchSize: 20, maximumBatchingWindowSeconds: 5 } });
  for (const b of ['a', 'b', 'c']) await send(f, urlFor('q1'), b);
  await idle();
  f.clock.advance(2000);
  await idle();
  assert.equal(f.invoker.calls.length, 0, 'still gathering inside the window');
  await send(f, urlFor('q1'), 'd');
  await idle();
  f.clock.advance(3000);
  await until(() => f.invoker.calls.length === 1, 'invoked when the window closes');
  assert.deepEqual(bodies(f.invoker.calls[0]!), ['a', 'b', 'c', 'd']);
  for (let i = 0; i < 20; i++) await send(f, urlFor('q1'), `x${i}`);
  await until(() => f.invoker.calls.length === 2, 'a full batch goes at once');
  assert.equal(f.invoker.calls[1]!.Records.length, 20);
  await f.stop();
});

test('MaximumConcurrency caps concurrent invocations of the mapping', async () => {
  let running = 0;
  let peak = 0;
  const gates: (() => void)[] = [];
  const f = await startFunctions(
    () => {
      running++;
      peak = Math.max(peak, running);
      return new Promise((resolve) => gates.push(() => resolve((running--, undefined))));
    },
    { before: withQueue({}, Array.from({ length: 12 }, (_, i) => `m${i}`)), mapping: { batchSize: 1, maximumConcurrency: 3 }, timeoutSeconds: 60 },
  );
  await until(() => running === 3, 'three running');
  await idle();
  assert.equal(peak, 3);
  while (f.invoker.calls.length < 12 || running > 0) {
    gates.shift()?.();
    await idle(3);
  }
  assert.equal(peak, 3, 'never more than three at once');
  await until(async () => (await counts(f, urlFor('q1'))).inflight === 0, 'all deleted');
  await f.stop();
});

test('reserved concurrency below the mapping concurrency throttles (counted) and waits', async () => {
  const gates: (() => void)[] = [];
  const f = await startFunctions(() => new Promise((resolve) => gates.push(() => resolve(undefined))), {
    before: withQueue({}, ['a', 'b']),
    mapping: { batchSize: 1, maximumConcurrency: 2 },
    reservedConcurrency: 1,
    timeoutSeconds: 60,
  });
  await until(() => f.host.metrics.of('fn').throttles === 1, 'throttle counted');
  assert.equal(f.invoker.calls.length, 1, 'the second batch waits for a permit');
  gates.shift()!();
  await until(() => f.invoker.calls.length === 2, 'then runs');
  gates.shift()!();
  await until(async () => (await counts(f, urlFor('q1'))).inflight === 0);
  await f.stop();
});

test('FilterCriteria: non-matching messages are deleted without an invocation', async () => {
  const f = await startFunctions(async () => undefined, {
    before: withQueue({}, ['{"kind":"order","qty":2}', '{"kind":"ping"}', 'plain text']),
    mapping: { filterPatterns: ['{"body":{"kind":["order"],"qty":[{"numeric":[">",0]}]}}'] },
  });
  await until(async () => (await counts(f, urlFor('q1'))).inflight === 0 && f.invoker.calls.length === 1, 'settled');
  assert.deepEqual(bodies(f.invoker.calls[0]!), ['{"kind":"order","qty":2}']);
  assert.equal(f.host.metrics.of('fn').messagesFiltered, 2);
  await f.stop();
});

test('a mapping on a missing queue or with FIFO-only limits broken is refused at start', async () => {
  await assert.rejects(startFunctions(async () => undefined, { queue: 'nope' }), /event source mapping of fn on arn:aws:sqs:us-east-1:000000000000:nope: .*does not exist/);
  await assert.rejects(
    startFunctions(async () => undefined, { queue: 'f.fifo', before: async (h) => void (await makeQueue(h, 'f.fifo', { FifoQueue: 'true' })), mapping: { batchSize: 11, maximumBatchingWindowSeconds: 1 } }),
    /batchSize must be an integer from 1 to 10 for a FIFO queue/,
  );
});

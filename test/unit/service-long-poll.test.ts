// Long polling through QueueService on a ManualClock (spec §6.3): a waiting receive answers when a
// message is sent, when a hidden one becomes visible, empty at its deadline, and at once on stop.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ctx, harness, makeQueue, receive, send, settle, track, wire } from './helpers.js';

/** Starts a receive and lets it reach its wait. */
async function poll(h: ReturnType<typeof harness>, url: string, input: Parameters<typeof receive>[2] = { WaitTimeSeconds: 20 }) {
  const p = track(receive(h, url, input));
  await settle();
  assert.equal(p.done(), false, 'the receive should be waiting');
  return p;
}

describe('long polling', () => {
  it('resolves when a message is sent', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    const p = await poll(h, url);
    h.clock.advance(7_000);
    await settle();
    assert.equal(p.done(), false);
    await send(h, url, 'hello');
    assert.deepEqual((await p.value).map((m) => m.Body), ['hello']);
  });

  it('ignores a message sent to another queue', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    const other = await makeQueue(h, 'other');
    const p = await poll(h, url);
    await send(h, other, 'elsewhere');
    await settle();
    assert.equal(p.done(), false);
    await send(h, url, 'mine');
    assert.deepEqual((await p.value).map((m) => m.Body), ['mine']);
  });

  it('resolves when an in-flight message becomes visible after advancing the clock', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    await send(h, url, 'x');
    await receive(h, url, { VisibilityTimeout: 10 });
    const p = await poll(h, url);
    h.clock.advance(9_999);
    await settle();
    assert.equal(p.done(), false);
    h.clock.advance(1);
    const got = await p.value;
    assert.deepEqual(got.map((m) => m.Body), ['x']);
  });

  it('resolves when a delayed message becomes due', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    const p = await poll(h, url);
    await send(h, url, 'delayed', { DelaySeconds: 15 });
    await settle();
    assert.equal(p.done(), false, 'a delayed message must not end the wait early');
    h.clock.advance(15_000);
    assert.deepEqual((await p.value).map((m) => m.Body), ['delayed']);
  });

  it('returns empty at the deadline, not before', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    const p = await poll(h, url);
    h.clock.advance(19_999);
    await settle();
    assert.equal(p.done(), false);
    h.clock.advance(1);
    assert.deepEqual(await p.value, []);
  });

  it('uses the queue ReceiveMessageWaitTimeSeconds when the request has none', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q', { ReceiveMessageWaitTimeSeconds: '5' });
    const p = await poll(h, url, {});
    h.clock.advance(4_999);
    await settle();
    assert.equal(p.done(), false);
    h.clock.advance(1);
    assert.deepEqual(await p.value, []);
  });

  it('WaitTimeSeconds 0 overrides a queue default and answers at once', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q', { ReceiveMessageWaitTimeSeconds: '20' });
    const p = track(receive(h, url, { WaitTimeSeconds: 0 }));
    await settle();
    assert.equal(p.done(), true);
  });

  it('one send of one message wakes one of two waiters; the other keeps waiting', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    const a = await poll(h, url);
    const b = await poll(h, url);
    await send(h, url, 'only');
    await settle();
    const done = [a, b].filter((p) => p.done());
    assert.equal(done.length, 1);
    assert.deepEqual((await done[0].value).map((m) => m.Body), ['only']);
    const waiting = [a, b].find((p) => !p.done())!;
    await send(h, url, 'second');
    assert.deepEqual((await waiting.value).map((m) => m.Body), ['second']);
  });

  it('ChangeMessageVisibility to 0 wakes a waiter', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    await send(h, url, 'x');
    const [m] = await receive(h, url);
    const p = await poll(h, url);
    await h.a.ChangeMessageVisibility(ctx, { QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 });
    assert.deepEqual((await p.value).map((x) => x.Body), ['x']);
  });

  it('stopPolling() answers every waiting receive at once with no messages', async () => {
    const h = harness();
    const q1 = await makeQueue(h, 'q1');
    const q2 = await makeQueue(h, 'q2');
    const a = await poll(h, q1);
    const b = await poll(h, q2);
    h.service.stopPolling();
    assert.deepEqual(await a.value, []);
    assert.deepEqual(await b.value, []);
    // After shutdown a new long poll does not wait either.
    const late = track(receive(h, q1, { WaitTimeSeconds: 20 }));
    await settle();
    assert.equal(late.done(), true);
  });

  it('DeleteQueue ends a waiting receive', async () => {
    const h = harness();
    const url = await makeQueue(h, 'q');
    const p = track(h.a.ReceiveMessage(ctx, { QueueUrl: url, WaitTimeSeconds: 20 }));
    await settle();
    assert.equal(p.done(), false);
    await h.a.DeleteQueue(ctx, { QueueUrl: url });
    await settle();
    await settle();
    assert.equal(p.done(), true, 'a receive on a deleted queue must not hang until its deadline');
    assert.deepEqual(wire(await p.value), {});
  });
});

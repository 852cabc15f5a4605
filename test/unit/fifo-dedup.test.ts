// FIFO deduplication (spec §6.7): the 5-minute window on the manual clock, what a duplicate send
// answers, DeduplicationScope queue vs messageGroup, and what ends a window (time, PurgeQueue).
// Sources: localstack tests/aws/services/sqs/test_sqs.py, tests marked @markers.aws.validated.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { counts, ctx, harness, type Harness, makeQueue, receive } from './helpers.js';

const FIVE_MINUTES = 5 * 60_000;

async function fifo(h: Harness, extra: Record<string, string> = {}) {
  return makeQueue(h, 'dedup.fifo', { FifoQueue: 'true', ...extra });
}

const send = (h: Harness, url: string, body: string, dedup: string | undefined, group = 'g') =>
  h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: dedup });

const bodies = async (h: Harness, url: string) => (await receive(h, url, { MaxNumberOfMessages: 10 })).map((m) => m.Body);

describe('deduplication window', () => {
  it('a duplicate succeeds with the original MessageId and SequenceNumber and is not enqueued', async () => {
    const h = harness();
    const url = await fifo(h);
    const first = await send(h, url, 'original', 'd1');
    h.clock.advance(10_000);
    const dup = await send(h, url, 'a different body', 'd1');
    assert.equal(dup.MessageId, first.MessageId);
    assert.equal(dup.SequenceNumber, first.SequenceNumber);
    // The MD5 is of what this request sent (the duplicate's own body).
    assert.notEqual(dup.MD5OfMessageBody, first.MD5OfMessageBody);
    assert.deepEqual(await counts(h, url), { visible: 1, inflight: 0, delayed: 0 });
    assert.deepEqual(await bodies(h, url), ['original']);
  });

  it('content-based duplicates arrive once (AWS-rec test_fifo_content_based_message_deduplication_arrives_once)', async () => {
    const h = harness();
    const url = await fifo(h, { ContentBasedDeduplication: 'true' });
    const item = '{"foo": "bar"}';
    await send(h, url, item, undefined, 'group-1');
    await send(h, url, item, undefined, 'group-1');
    const [m] = await receive(h, url);
    assert.equal(m.Body, item);
    assert.deepEqual(await receive(h, url), []);
    await h.a.DeleteMessage(ctx, { QueueUrl: url, ReceiptHandle: m.ReceiptHandle });
    assert.deepEqual(await receive(h, url), [], 'and nothing is left behind');
  });

  for (const cbd of [true, false]) {
    it(`a duplicate is dropped even after the original was deleted, CBD=${cbd} (AWS-rec test_fifo_deduplication_arrives_once_after_delete)`, async () => {
      const h = harness();
      const url = await fifo(h, cbd ? { ContentBasedDeduplication: 'true' } : {});
      const dedup = cbd ? undefined : 'dedup1';
      const sent = await send(h, url, '{"foo": "bar"}', dedup, 'group-1');
      const [m] = await receive(h, url);
      await h.a.DeleteMessage(ctx, { QueueUrl: url, ReceiptHandle: m.ReceiptHandle });
      h.clock.advance(60_000);
      const again = await send(h, url, '{"foo": "bar"}', dedup, 'group-1');
      assert.equal(again.MessageId, sent.MessageId);
      assert.deepEqual(await receive(h, url), []);
      assert.deepEqual(await counts(h, url), { visible: 0, inflight: 0, delayed: 0 });
    });
  }

  it('the window is 5 minutes from the original send: one ms before it is a duplicate, at 5:00 a new message', async () => {
    const h = harness();
    const url = await fifo(h);
    const first = await send(h, url, 'v1', 'id');
    h.clock.advance(FIVE_MINUTES - 1);
    assert.equal((await send(h, url, 'v2', 'id')).MessageId, first.MessageId);
    h.clock.advance(1);
    const fresh = await send(h, url, 'v3', 'id');
    assert.notEqual(fresh.MessageId, first.MessageId);
    assert.ok(BigInt(fresh.SequenceNumber!) > BigInt(first.SequenceNumber!));
    assert.deepEqual(await bodies(h, url), ['v1', 'v3']);
  });

  it('a duplicate does not extend the window; the new message opens a new one', async () => {
    const h = harness();
    const url = await fifo(h);
    await send(h, url, 'v1', 'id');
    h.clock.advance(FIVE_MINUTES - 1_000);
    await send(h, url, 'dup', 'id'); // dropped
    h.clock.advance(1_000);
    const second = await send(h, url, 'v2', 'id'); // window of v1 closed: accepted
    h.clock.advance(FIVE_MINUTES - 1);
    assert.equal((await send(h, url, 'dup2', 'id')).MessageId, second.MessageId);
    assert.deepEqual(await bodies(h, url), ['v1', 'v2']);
  });

  it('expireMessages() closes nothing early: a window still open keeps deduplicating', async () => {
    const h = harness();
    const url = await fifo(h);
    const first = await send(h, url, 'v1', 'id');
    h.clock.advance(FIVE_MINUTES - 1);
    await h.service.expireMessages();
    assert.equal((await send(h, url, 'v2', 'id')).MessageId, first.MessageId);
    h.clock.advance(1);
    await h.service.expireMessages();
    assert.notEqual((await send(h, url, 'v3', 'id')).MessageId, first.MessageId);
  });

  it('duplicates inside one batch answer with the first entry\'s ids', async () => {
    const h = harness();
    const url = await fifo(h);
    const r = await h.a.SendMessageBatch(ctx, {
      QueueUrl: url,
      Entries: [
        { Id: 'a', MessageBody: 'one', MessageGroupId: 'g', MessageDeduplicationId: 'same' },
        { Id: 'b', MessageBody: 'two', MessageGroupId: 'g', MessageDeduplicationId: 'same' },
        { Id: 'c', MessageBody: 'three', MessageGroupId: 'g', MessageDeduplicationId: 'other' },
      ],
    });
    const [a, b, c] = r.Successful;
    assert.deepEqual([b.Id, b.MessageId, b.SequenceNumber], ['b', a.MessageId, a.SequenceNumber]);
    assert.notEqual(c.MessageId, a.MessageId);
    assert.deepEqual(await bodies(h, url), ['one', 'three']);
  });
});

describe('DeduplicationScope', () => {
  for (const cbd of [true, false]) {
    it(`queue (default): the same id in another group is dropped, CBD=${cbd} (AWS-rec test_fifo_deduplication_not_on_message_group_id)`, async () => {
      const h = harness();
      const url = await fifo(h, cbd ? { ContentBasedDeduplication: 'true' } : {});
      const dedup = cbd ? undefined : 'dedup1';
      const first = await send(h, url, '{"foo": "bar"}', dedup, 'group-1');
      const second = await send(h, url, '{"foo": "bar"}', dedup, 'group-2');
      assert.equal(second.MessageId, first.MessageId);
      assert.equal((await receive(h, url)).length, 1);
      assert.deepEqual(await receive(h, url), []);
    });
  }

  it('messageGroup: the same id in another group is a new message, in the same group a duplicate (spec §6.7 AWS-rec)', async () => {
    const h = harness();
    const url = await fifo(h, { DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
    const g1 = await send(h, url, 'in g1', 'same', 'g1');
    const g2 = await send(h, url, 'in g2', 'same', 'g2');
    const g1again = await send(h, url, 'again g1', 'same', 'g1');
    assert.notEqual(g2.MessageId, g1.MessageId);
    assert.equal(g1again.MessageId, g1.MessageId);
    assert.deepEqual((await bodies(h, url)).sort(), ['in g1', 'in g2']);
  });

  it('messageGroup windows also last 5 minutes, per group', async () => {
    const h = harness();
    const url = await fifo(h, { DeduplicationScope: 'messageGroup' });
    await send(h, url, 'a1', 'id', 'a');
    h.clock.advance(60_000);
    const b1 = await send(h, url, 'b1', 'id', 'b');
    h.clock.advance(FIVE_MINUTES - 60_000); // a's window closed, b's still open
    const a2 = await send(h, url, 'a2', 'id', 'a');
    const b2 = await send(h, url, 'b2', 'id', 'b');
    const got = await receive(h, url, { MaxNumberOfMessages: 10 });
    assert.deepEqual(got.map((m) => m.Body).sort(), ['a1', 'a2', 'b1']);
    assert.ok(got.some((m) => m.MessageId === a2.MessageId));
    assert.equal(b2.MessageId, b1.MessageId, "b2 is b1's duplicate");
  });
});

describe('what else ends a window', () => {
  // AWS-rec test_purge_queue_clears_fifo_deduplication_cache: after PurgeQueue the same group and
  // dedup id are accepted again and received.
  it('PurgeQueue clears the deduplication cache (AWS-rec test_purge_queue_clears_fifo_deduplication_cache)', async () => {
    const h = harness();
    const url = await fifo(h);
    const first = await send(h, url, 'message-1', 'fifo_dedup-1', 'fifo_group-1');
    await h.a.PurgeQueue(ctx, { QueueUrl: url });
    const second = await send(h, url, 'message-2', 'fifo_dedup-1', 'fifo_group-1');
    assert.notEqual(second.MessageId, first.MessageId);
    const got = await receive(h, url);
    assert.deepEqual(got.map((m) => m.Body), ['message-2']);
  });

  it('deleting and re-creating the queue starts with no windows', async () => {
    const h = harness();
    const url = await fifo(h);
    await send(h, url, 'before', 'id');
    await h.a.DeleteQueue(ctx, { QueueUrl: url });
    h.clock.advance(60_000); // QueueDeletedRecently
    const again = await fifo(h);
    await send(h, again, 'after', 'id');
    assert.deepEqual(await bodies(h, again), ['after']);
  });

  it('windows are per queue', async () => {
    const h = harness();
    const a = await makeQueue(h, 'a.fifo', { FifoQueue: 'true' });
    const b = await makeQueue(h, 'b.fifo', { FifoQueue: 'true' });
    await send(h, a, 'in a', 'id');
    await send(h, b, 'in b', 'id');
    assert.deepEqual(await bodies(h, a), ['in a']);
    assert.deepEqual(await bodies(h, b), ['in b']);
  });
});

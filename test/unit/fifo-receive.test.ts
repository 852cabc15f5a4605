// FIFO receive (spec §6.1, §6.7): strict order within a message group, a group blocked while its
// messages are in flight while other groups flow, what releases it, the FIFO system attributes,
// ReceiveRequestAttemptId replays, and the FIFO-only "receipt handle has expired" delete error.
// Sources: localstack tests/aws/services/sqs/test_sqs.py (@markers.aws.validated) where named;
// AWS API reference, ReceiveMessage.ReceiveRequestAttemptId, for the replay rules.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReceivedMessage } from '../../src/core/api.js';
import { counts, ctx, harness, type Harness, makeQueue, receive, rejects, settle, track, wire } from './helpers.js';

async function fifo(h: Harness, extra: Record<string, string> = {}) {
  return makeQueue(h, 'r.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true', ...extra });
}

/** Sends "<group>-m<n>" style bodies; the group is the body's prefix before the first '-'. */
async function sendAll(h: Harness, url: string, bodies: string[]) {
  for (const body of bodies) await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: body, MessageGroupId: body.split('-')[0] });
}

const bodiesOf = (ms: ReceivedMessage[]) => ms.map((m) => m.Body);
const del = (h: Harness, url: string, m: ReceivedMessage) => h.a.DeleteMessage(ctx, { QueueUrl: url, ReceiptHandle: m.ReceiptHandle });
const cmv = (h: Harness, url: string, m: ReceivedMessage, VisibilityTimeout: number) =>
  h.a.ChangeMessageVisibility(ctx, { QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout });

/** Each group's bodies in the order they came. */
function perGroup(ms: ReceivedMessage[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of ms) (out[m.Body.split('-')[0]] ??= []).push(m.Body);
  return out;
}

describe('order within a message group', () => {
  it('one message at a time, in send order (AWS-rec test_fifo_queue_send_multiple_messages_multiple_single_receives)', async () => {
    const h = harness();
    const url = await fifo(h);
    await sendAll(h, url, ['g-0', 'g-1', 'g-2', 'g-3']);
    for (let i = 0; i < 4; i++) {
      const [m] = await receive(h, url);
      assert.equal(m.Body, `g-${i}`);
      await del(h, url, m);
    }
    assert.deepEqual(await receive(h, url), []);
  });

  it('a group\'s messages come together even if another group was sent in between (AWS-rec test_fifo_receive_message_group_id_ordering)', async () => {
    const h = harness();
    const url = await fifo(h);
    await sendAll(h, url, ['g1-m1', 'g2-m1', 'g1-m2', 'g1-m3']);
    assert.deepEqual(bodiesOf(await receive(h, url, { MaxNumberOfMessages: 10 })), ['g1-m1', 'g1-m2', 'g1-m3', 'g2-m1']);
  });

  it('takes as many messages of one group as it can, then the next group', async () => {
    const h = harness();
    const url = await fifo(h);
    await sendAll(h, url, ['a-1', 'b-1', 'a-2', 'c-1', 'b-2', 'a-3', 'b-3']);
    assert.deepEqual(bodiesOf(await receive(h, url, { MaxNumberOfMessages: 4 })), ['a-1', 'a-2', 'a-3', 'b-1']);
    // b is now locked (b-1 in flight), a is locked: only c flows.
    assert.deepEqual(bodiesOf(await receive(h, url, { MaxNumberOfMessages: 10 })), ['c-1']);
    assert.deepEqual(await receive(h, url, { MaxNumberOfMessages: 10 }), []);
  });

  it('after the visibility timeout the same messages come back in the same order (AWS-rec test_fifo_messages_in_order_after_timeout)', async () => {
    const h = harness();
    const url = await fifo(h, { VisibilityTimeout: '1' });
    await sendAll(h, url, ['1-message-0', '1-message-1', '1-message-2']);
    const first = await receive(h, url, { MaxNumberOfMessages: 10 });
    assert.deepEqual(bodiesOf(first), ['1-message-0', '1-message-1', '1-message-2']);
    h.clock.advance(1_000);
    const again = await receive(h, url, { MaxNumberOfMessages: 10 });
    assert.deepEqual(bodiesOf(again), bodiesOf(first));
    assert.deepEqual(again.map((m) => m.MessageId), first.map((m) => m.MessageId));
    assert.ok(again.every((m, i) => m.ReceiptHandle !== first[i].ReceiptHandle), 'each receive issues new handles');
  });

  it('a delayed message holds back the rest of its group, not other groups', async () => {
    const h = harness();
    const url = await fifo(h);
    await sendAll(h, url, ['a-1']);
    await h.a.SetQueueAttributes(ctx, { QueueUrl: url, Attributes: { DelaySeconds: '10' } });
    await sendAll(h, url, ['a-2', 'b-1']);
    await h.a.SetQueueAttributes(ctx, { QueueUrl: url, Attributes: { DelaySeconds: '0' } });
    await sendAll(h, url, ['a-3', 'c-1']);
    const got = await receive(h, url, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 });
    assert.deepEqual(bodiesOf(got), ['a-1', 'c-1'], 'a stops at its delayed a-2; b-1 is delayed');
    h.clock.advance(10_000);
    assert.deepEqual(perGroup(await receive(h, url, { MaxNumberOfMessages: 10 })), { a: ['a-1', 'a-2', 'a-3'], b: ['b-1'], c: ['c-1'] });
  });
});

describe('message group locks', () => {
  it('a group with a message in flight yields nothing; other groups flow (AWS-rec test_fifo_receive_message_visibility_timeout_shared_in_group)', async () => {
    const h = harness();
    const url = await fifo(h, { VisibilityTimeout: '1' });
    await sendAll(h, url, ['g1-m1', 'g1-m2', 'g1-m3', 'g1-m4', 'g2-m1', 'g3-m1']);
    assert.deepEqual(bodiesOf(await receive(h, url, { MaxNumberOfMessages: 2 })), ['g1-m1', 'g1-m2']);
    assert.deepEqual(bodiesOf(await receive(h, url, { MaxNumberOfMessages: 1 })), ['g2-m1']);
    h.clock.advance(1_000);
    // AWS gives no order between groups; within each group the order is strict.
    const all = await receive(h, url, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 });
    assert.equal(all.length, 6);
    assert.deepEqual(perGroup(all), { g1: ['g1-m1', 'g1-m2', 'g1-m3', 'g1-m4'], g2: ['g2-m1'], g3: ['g3-m1'] });
  });

  it('deleting every in-flight message releases the group (AWS-rec test_fifo_message_group_visibility_after_delete)', async () => {
    const h = harness();
    const url = await fifo(h);
    // The second "g1-m2" has the same body, so content-based deduplication drops it.
    await sendAll(h, url, ['g1-m1', 'g2-m1', 'g1-m2', 'g2-m2', 'g1-m2', 'g1-m3', 'g1-m4', 'g3-m1']);
    const [a, b] = await receive(h, url, { MaxNumberOfMessages: 2 });
    assert.deepEqual([a.Body, b.Body], ['g1-m1', 'g1-m2']);
    await del(h, url, a);
    await del(h, url, b);
    // This is the exact order AWS returned.
    assert.deepEqual(bodiesOf(await receive(h, url, { MaxNumberOfMessages: 10 })), ['g2-m1', 'g2-m2', 'g1-m3', 'g1-m4', 'g3-m1']);
  });

  it('deleting only some of them keeps the group blocked (AWS-rec test_fifo_message_group_visibility_after_partial_delete)', async () => {
    const h = harness();
    const url = await fifo(h);
    await sendAll(h, url, ['g1-m1', 'g2-m1', 'g1-m2', 'g2-m2', 'g1-m2', 'g1-m3', 'g1-m4', 'g3-m1']);
    const [a, b] = await receive(h, url, { MaxNumberOfMessages: 2 });
    assert.deepEqual([a.Body, b.Body], ['g1-m1', 'g1-m2']);
    await del(h, url, a);
    assert.deepEqual(bodiesOf(await receive(h, url, { MaxNumberOfMessages: 10 })), ['g2-m1', 'g2-m2', 'g3-m1']);
  });

  it('the lock ends when the visibility timeout runs out, not a millisecond earlier', async () => {
    const h = harness();
    const url = await fifo(h, { VisibilityTimeout: '30' });
    await sendAll(h, url, ['a-1', 'a-2']);
    const [m] = await receive(h, url);
    assert.equal(m.Body, 'a-1');
    h.clock.advance(29_999);
    assert.deepEqual(await receive(h, url), []);
    h.clock.advance(1);
    const [again] = await receive(h, url);
    assert.deepEqual([again.Body, again.MessageId], ['a-1', m.MessageId], 'the head comes back first');
  });

  it('ChangeMessageVisibility 0 on the in-flight message releases the group at once', async () => {
    const h = harness();
    const url = await fifo(h);
    await sendAll(h, url, ['a-1', 'a-2', 'b-1']);
    const [m] = await receive(h, url);
    assert.deepEqual(bodiesOf(await receive(h, url, { MaxNumberOfMessages: 10 })), ['b-1']);
    await cmv(h, url, m, 0);
    assert.deepEqual(bodiesOf(await receive(h, url, { MaxNumberOfMessages: 10 })), ['a-1', 'a-2']);
  });

  it('ChangeMessageVisibility on every in-flight message of a group releases it when the last one is visible', async () => {
    const h = harness();
    const url = await fifo(h);
    await sendAll(h, url, ['a-1', 'a-2', 'a-3']);
    const [m1, m2] = await receive(h, url, { MaxNumberOfMessages: 2 });
    await cmv(h, url, m1, 0);
    await cmv(h, url, m2, 5);
    h.clock.advance(4_999);
    assert.deepEqual(await receive(h, url, { MaxNumberOfMessages: 10 }), []);
    h.clock.advance(1);
    assert.deepEqual(bodiesOf(await receive(h, url, { MaxNumberOfMessages: 10 })), ['a-1', 'a-2', 'a-3']);
  });

  it('a zero visibility timeout on receive does not lock the group, and returns each message once (AWS-rec test_fifo_receive_message_with_zero_visibility_timeout)', async () => {
    const h = harness();
    const url = await fifo(h);
    await sendAll(h, url, ['g1-m1', 'g2-m1', 'g2-m2', 'g3-m1', 'g1-m2']);
    assert.deepEqual(bodiesOf(await receive(h, url, { MaxNumberOfMessages: 3, VisibilityTimeout: 0 })), ['g1-m1', 'g1-m2', 'g2-m1']);
    const all = await receive(h, url, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 });
    assert.equal(all.length, 5, 'every message once, none twice');
    assert.deepEqual(perGroup(all), { g1: ['g1-m1', 'g1-m2'], g2: ['g2-m1', 'g2-m2'], g3: ['g3-m1'] });
  });

  it('counts: received messages are in flight, the others visible (AWS-rec test_fifo_approx_number_of_messages)', async () => {
    const h = harness();
    const url = await fifo(h);
    await sendAll(h, url, ['1-g1-m1', '1-g1-m2', '1-g1-m3', '2-g2-m1', '3-g3-m1']);
    assert.deepEqual(await counts(h, url), { visible: 5, inflight: 0, delayed: 0 });
    const got = await receive(h, url, { MaxNumberOfMessages: 4 });
    assert.equal(got.length, 4);
    assert.deepEqual(await counts(h, url), { visible: 1, inflight: 4, delayed: 0 });
    for (const m of got) await del(h, url, m);
    assert.deepEqual(await counts(h, url), { visible: 1, inflight: 0, delayed: 0 });
  });

  // AWS-rec test_fifo_message_group_visibility_after_terminate_visibility_timeout and
  // test_fifo_message_group_visibility_after_change_message_visibility: "a message group becomes
  // visible as soon as a message within it has become visible again" — after ChangeMessageVisibility
  // 0 on g1-m1 while g1-m2 is still in flight, AWS returned [g2-m1, g1-m1]. Pier's store contract
  // keeps the whole group locked until every received message is deleted or visible (spec §6.7
  // wording), so it returns only [g2-m1]. Kept as a todo until the lead decides which rule to follow.
  it('releasing the head of a group with two in flight makes the head receivable (AWS-rec; differs today)', { todo: 'store contract locks until all in-flight messages are released' }, async () => {
    const h = harness();
    const url = await fifo(h);
    await sendAll(h, url, ['g1-m1', 'g1-m2', 'g2-m1']);
    const [m1, m2] = await receive(h, url, { MaxNumberOfMessages: 2 });
    assert.deepEqual([m1.Body, m2.Body], ['g1-m1', 'g1-m2']);
    await cmv(h, url, m1, 0);
    assert.deepEqual(bodiesOf(await receive(h, url, { MaxNumberOfMessages: 3 })), ['g2-m1', 'g1-m1']);
  });
});

describe('FIFO system attributes', () => {
  it('MessageGroupId, MessageDeduplicationId and SequenceNumber as sent/assigned, with All (AWS-rec test_fifo_message_attributes)', async () => {
    const h = harness();
    const url = await fifo(h, { VisibilityTimeout: '0', DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
    const sent = await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'message-body-1', MessageGroupId: 'group-1', MessageDeduplicationId: 'dedup-1' });
    h.clock.advance(5);
    const [m0] = await receive(h, url, { AttributeNames: ['All'] });
    assert.deepEqual(m0.Attributes, {
      SenderId: ctx.senderId,
      SentTimestamp: String(h.clock.now() - 5),
      ApproximateReceiveCount: '1',
      ApproximateFirstReceiveTimestamp: String(h.clock.now()),
      SequenceNumber: sent.SequenceNumber,
      MessageDeduplicationId: 'dedup-1',
      MessageGroupId: 'group-1',
    });
    h.clock.advance(5);
    const [m1] = await receive(h, url, { AttributeNames: ['All'] });
    assert.equal(m1.Attributes?.ApproximateReceiveCount, '2', 'attributes are updated on the next receive');
    assert.equal(m1.Attributes?.ApproximateFirstReceiveTimestamp, m0.Attributes?.ApproximateFirstReceiveTimestamp);
  });

  it('each can be asked for alone, via either request list', async () => {
    const h = harness();
    const url = await fifo(h, { VisibilityTimeout: '0' });
    const sent = await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'x', MessageGroupId: 'G', MessageDeduplicationId: 'D' });
    assert.deepEqual((await receive(h, url, { AttributeNames: ['MessageGroupId'] }))[0].Attributes, { MessageGroupId: 'G' });
    assert.deepEqual((await receive(h, url, { MessageSystemAttributeNames: ['MessageDeduplicationId'] }))[0].Attributes, { MessageDeduplicationId: 'D' });
    assert.deepEqual((await receive(h, url, { MessageSystemAttributeNames: ['SequenceNumber'] }))[0].Attributes, { SequenceNumber: sent.SequenceNumber });
    assert.equal((await receive(h, url))[0].Attributes, undefined, 'none asked, none returned');
  });
});

describe('ReceiveRequestAttemptId', () => {
  async function setup(h: Harness) {
    const url = await fifo(h, { VisibilityTimeout: '30' });
    await sendAll(h, url, ['a-1', 'a-2', 'b-1']);
    return url;
  }

  it('a retry within 5 minutes returns the same messages and receipt handles', async () => {
    const h = harness();
    const url = await setup(h);
    const first = await receive(h, url, { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: 'attempt-1' });
    assert.deepEqual(bodiesOf(first), ['a-1', 'a-2']);
    h.clock.advance(10_000);
    const retry = await receive(h, url, { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: 'attempt-1' });
    assert.deepEqual(wire(retry), wire(first));
    assert.deepEqual(await counts(h, url), { visible: 1, inflight: 2, delayed: 0 }, 'nothing received twice');
    // The replayed handles work.
    for (const m of retry) await del(h, url, m);
    assert.deepEqual(bodiesOf(await receive(h, url)), ['b-1']);
  });

  it('a retry restarts the visibility timeout of the replayed messages', async () => {
    const h = harness();
    const url = await setup(h);
    await receive(h, url, { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: 'x' });
    h.clock.advance(20_000);
    await receive(h, url, { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: 'x' });
    h.clock.advance(20_000); // 40 s after the first receive, 20 s after the retry
    assert.deepEqual(bodiesOf(await receive(h, url, { MaxNumberOfMessages: 10 })), ['b-1'], 'group a still locked');
    h.clock.advance(10_000);
    assert.deepEqual(bodiesOf(await receive(h, url, { MaxNumberOfMessages: 10 })), ['a-1', 'a-2']);
  });

  it('a different attempt id is a new receive', async () => {
    const h = harness();
    const url = await setup(h);
    await receive(h, url, { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: 'one' });
    assert.deepEqual(bodiesOf(await receive(h, url, { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: 'two' })), ['b-1']);
  });

  it('no replay once one of the messages was deleted', async () => {
    const h = harness();
    const url = await setup(h);
    const [a1] = await receive(h, url, { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: 'x' });
    await del(h, url, a1);
    const retry = await receive(h, url, { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: 'x' });
    assert.deepEqual(bodiesOf(retry), ['b-1'], 'a normal receive: a-2 is still in flight, so group a is locked');
  });

  it('no replay after 5 minutes: the messages come with new handles', async () => {
    const h = harness();
    const url = await setup(h);
    const first = await receive(h, url, { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: 'x' });
    h.clock.advance(5 * 60_000);
    const later = await receive(h, url, { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: 'x', AttributeNames: ['ApproximateReceiveCount'] });
    assert.deepEqual(bodiesOf(later), ['a-1', 'a-2']);
    assert.ok(later.every((m, i) => m.ReceiptHandle !== first[i].ReceiptHandle));
    assert.deepEqual(later.map((m) => m.Attributes?.ApproximateReceiveCount), ['2', '2']);
  });

  it('an empty receive is not remembered: the retry can get messages sent since', async () => {
    const h = harness();
    const url = await fifo(h);
    assert.deepEqual(await receive(h, url, { ReceiveRequestAttemptId: 'x' }), []);
    await sendAll(h, url, ['a-1']);
    assert.deepEqual(bodiesOf(await receive(h, url, { ReceiveRequestAttemptId: 'x' })), ['a-1']);
  });

  it('refuses an id outside the FIFO id charset or longer than 128', async () => {
    const h = harness();
    const url = await setup(h);
    for (const id of ['', 'has space', 'x'.repeat(129), 'é']) {
      await rejects(receive(h, url, { ReceiveRequestAttemptId: id }), 'InvalidParameterValue', /parameter ReceiveRequestAttemptId is invalid/);
    }
    assert.equal((await receive(h, url, { ReceiveRequestAttemptId: 'x'.repeat(128) })).length, 1);
  });
});

describe('DeleteMessage on a FIFO queue', () => {
  const expired = (handle: string) => `Value ${handle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`;

  it('refuses a handle whose visibility timeout ran out, and keeps the message (AWS-rec test_fifo_delete_message_with_expired_receipt_handle)', async () => {
    const h = harness();
    const url = await fifo(h, { VisibilityTimeout: '1' });
    await sendAll(h, url, ['1-g1-m1']);
    const [m] = await receive(h, url);
    h.clock.advance(1_000);
    await rejects(del(h, url, m), 'InvalidParameterValue', expired(m.ReceiptHandle));
    assert.deepEqual(await counts(h, url), { visible: 1, inflight: 0, delayed: 0 });
    const [again] = await receive(h, url);
    assert.equal(again.MessageId, m.MessageId);
    await del(h, url, again);
    assert.deepEqual(await counts(h, url), { visible: 0, inflight: 0, delayed: 0 });
  });

  it('deletes with a handle still in time, one millisecond before it expires', async () => {
    const h = harness();
    const url = await fifo(h, { VisibilityTimeout: '1' });
    await sendAll(h, url, ['a-1']);
    const [m] = await receive(h, url);
    h.clock.advance(999);
    await del(h, url, m);
    assert.deepEqual(await counts(h, url), { visible: 0, inflight: 0, delayed: 0 });
  });

  it('a handle made visible by ChangeMessageVisibility 0 has expired too', async () => {
    const h = harness();
    const url = await fifo(h);
    await sendAll(h, url, ['a-1']);
    const [m] = await receive(h, url);
    await cmv(h, url, m, 0);
    await rejects(del(h, url, m), 'InvalidParameterValue', expired(m.ReceiptHandle));
  });

  it('DeleteMessageBatch reports the expired handle per entry and deletes the others', async () => {
    const h = harness();
    const url = await fifo(h, { VisibilityTimeout: '10' });
    await sendAll(h, url, ['a-1', 'b-1']);
    const [a] = await receive(h, url);
    h.clock.advance(5_000);
    const [b] = await receive(h, url, { VisibilityTimeout: 60 });
    assert.deepEqual([a.Body, b.Body], ['a-1', 'b-1']);
    h.clock.advance(5_000); // a's handle expired, b's not
    const r = await h.a.DeleteMessageBatch(ctx, {
      QueueUrl: url,
      Entries: [
        { Id: 'first', ReceiptHandle: a.ReceiptHandle },
        { Id: 'second', ReceiptHandle: b.ReceiptHandle },
      ],
    });
    assert.deepEqual(r.Successful, [{ Id: 'second' }]);
    assert.deepEqual(wire(r.Failed), [{ Id: 'first', SenderFault: true, Code: 'InvalidParameterValue', Message: expired(a.ReceiptHandle) }]);
    assert.deepEqual(await counts(h, url), { visible: 1, inflight: 0, delayed: 0 });
  });

  it('a standard queue still deletes with an expired handle (contrast, AWS-rec spec §6.1)', async () => {
    const h = harness();
    const url = await makeQueue(h, 'plain', { VisibilityTimeout: '1' });
    await h.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'x' });
    const [m] = await receive(h, url);
    h.clock.advance(1_000);
    await del(h, url, m);
    assert.deepEqual(await counts(h, url), { visible: 0, inflight: 0, delayed: 0 });
  });
});

// A long poll on a FIFO queue waits while every ready message sits in a locked group; it must wake
// when the lock ends, as a standard queue's poll wakes when a message becomes visible (spec §6.3).
describe('long polling on a FIFO queue', () => {
  async function waitingConsumer(h: Harness) {
    const url = await fifo(h, { VisibilityTimeout: '10' });
    await sendAll(h, url, ['a-1', 'a-2']);
    const [held] = await receive(h, url, { MaxNumberOfMessages: 1 }); // consumer X holds a-1
    const poll = track(receive(h, url, { MaxNumberOfMessages: 10, WaitTimeSeconds: 20 })); // consumer Y waits
    await settle();
    assert.equal(poll.done(), false, 'group a is locked: Y waits');
    return { url, held, poll };
  }

  it('wakes when the holder deletes the last in-flight message of the group', async () => {
    const h = harness();
    const { url, held, poll } = await waitingConsumer(h);
    await del(h, url, held);
    await settle();
    await settle();
    assert.equal(poll.done(), true, 'Y got the next message without waiting out its poll');
    assert.deepEqual(bodiesOf(await poll.value), ['a-2']);
  });

  it('wakes when the holder makes the message visible again (ChangeMessageVisibility 0)', async () => {
    const h = harness();
    const { url, held, poll } = await waitingConsumer(h);
    await cmv(h, url, held, 0);
    await settle();
    await settle();
    assert.equal(poll.done(), true);
    assert.deepEqual(bodiesOf(await poll.value), ['a-1', 'a-2']);
  });

  it('wakes when the holder\'s visibility timeout runs out', async () => {
    const h = harness();
    const { poll } = await waitingConsumer(h);
    h.clock.advance(10_000);
    await settle();
    await settle();
    assert.equal(poll.done(), true, 'woken at the lock\'s end, not at the end of the 20 s poll');
    assert.deepEqual(bodiesOf(await poll.value), ['a-1', 'a-2']);
  });
});

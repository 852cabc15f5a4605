// Contract cases for send and receive: order, visibility, delay, receive bookkeeping, retention
// expiry on the way, dead-letter moves, and byte-exact round trips of bodies and attributes.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { StoredMessage } from '../../src/core/model.js';
import { bodies, msg, newQueue, receive, ref, RETENTION_MS, T0, withStore, type OpenStore } from './contract-fixtures.js';

export function messageCases(open: OpenStore): void {
  it('returns messages in send order with every field and the receive bookkeeping', withStore(open, async (store) => {
    const q = await newQueue(store);
    const sent = [msg({ body: 'one' }), msg({ body: 'two' }), msg({ body: 'three' })];
    await store.sendMessages(q.id, sent);
    await store.sendMessages(q.id, [msg({ body: 'four' })]);
    const got = await receive(store, q.id, T0 + 10, { visibilityMs: 5_000 });
    assert.deepEqual(bodies(got), ['one', 'two', 'three', 'four']);
    got.slice(0, 3).forEach((m, i) => {
      const { seq, ...rest } = m;
      assert.deepEqual(rest, { ...sent[i]!, receiveCount: 1, firstReceiveMs: T0 + 10, visibleAtMs: T0 + 5_010 });
      assert.equal(typeof seq, 'number');
    });
    assert.ok(got.every((m, i) => i === 0 || m.seq > got[i - 1]!.seq), 'seq increases in send order');
  }));

  it('honours max and hides received messages until their visibility ends', withStore(open, async (store) => {
    const q = await newQueue(store);
    await store.sendMessages(q.id, [msg({ body: 'a' }), msg({ body: 'b' }), msg({ body: 'c' })]);
    assert.deepEqual(bodies(await receive(store, q.id, T0, { max: 2, visibilityMs: 1_000 })), ['a', 'b']);
    assert.deepEqual(bodies(await receive(store, q.id, T0 + 1)), ['c']);
    assert.deepEqual(await receive(store, q.id, T0 + 999), []);
    const again = await receive(store, q.id, T0 + 1_000, { visibilityMs: 1_000 });
    assert.deepEqual(bodies(again), ['a', 'b'], 'visible again exactly at visibleAtMs');
    assert.deepEqual(again.map((m) => [m.receiveCount, m.firstReceiveMs, m.visibleAtMs]), [
      [2, T0, T0 + 2_000],
      [2, T0, T0 + 2_000],
    ]);
    assert.deepEqual(await receive(store, q.id, T0, { max: 0 }), []);
  }));

  it('orders by visibleAtMs first, then send order', withStore(open, async (store) => {
    const q = await newQueue(store);
    await store.sendMessages(q.id, [msg({ body: 'late', visibleAtMs: T0 + 50 }), msg({ body: 'early' }), msg({ body: 'late-2', visibleAtMs: T0 + 50 })]);
    assert.deepEqual(bodies(await receive(store, q.id, T0 + 50)), ['early', 'late', 'late-2']);
  }));

  it('keeps a delayed message back until visibleAtMs and counts it as delayed', withStore(open, async (store) => {
    const q = await newQueue(store);
    await store.sendMessages(q.id, [msg({ body: 'later', visibleAtMs: T0 + 60_000 })]);
    assert.deepEqual(await receive(store, q.id, T0 + 59_999), []);
    assert.deepEqual(await store.counts(q.id, T0 + 59_999), { visible: 0, inflight: 0, delayed: 1 });
    const [m] = await receive(store, q.id, T0 + 60_000);
    assert.equal(m?.body, 'later');
    assert.equal(m?.firstReceiveMs, T0 + 60_000);
  }));

  it('hands a message out once per call even with a zero visibility timeout', withStore(open, async (store) => {
    const q = await newQueue(store);
    await store.sendMessages(q.id, [msg({ body: 'x' })]);
    const first = await receive(store, q.id, T0, { visibilityMs: 0 });
    assert.deepEqual(first.map((m) => [m.body, m.receiveCount]), [['x', 1]]);
    const second = await receive(store, q.id, T0, { visibilityMs: 0 });
    assert.deepEqual(second.map((m) => [m.body, m.receiveCount]), [['x', 2]]);
  }));

  it('deletes expired messages on the way and keeps scanning to fill max', withStore(open, async (store) => {
    const q = await newQueue(store);
    const now = T0 + RETENTION_MS;
    await store.sendMessages(q.id, [
      msg({ body: 'expired-exactly', sentMs: T0 }),
      msg({ body: 'expired-long-ago', sentMs: T0 - 5 }),
      msg({ body: 'fresh', sentMs: T0 + 1 }),
      msg({ body: 'fresh-2', sentMs: T0 + 2 }),
    ]);
    assert.deepEqual(bodies(await receive(store, q.id, now, { max: 1 })), ['fresh']);
    assert.deepEqual(await store.counts(q.id, now), { visible: 1, inflight: 1, delayed: 0 }, 'expired rows are gone');
  }));

  it('moves a message past maxReceiveCount to the dead-letter queue in the same receive', withStore(open, async (store) => {
    const src = await newQueue(store, 'src');
    const dlq = await newQueue(store, 'src-dlq');
    const redrive = { dlqId: dlq.id, maxReceiveCount: 2, sourceArn: 'arn:aws:sqs:us-east-1:000000000000:src' };
    const original = msg({ body: 'poison', sentMs: T0 - 1, attributes: { k: { DataType: 'String', StringValue: 'v' } } });
    await store.sendMessages(src.id, [original, msg({ body: 'fine', visibleAtMs: T0 + 20 })]);
    const r1 = await receive(store, src.id, T0, { max: 1, visibilityMs: 10, redrive });
    const r2 = await receive(store, src.id, T0 + 10, { max: 1, visibilityMs: 10, redrive });
    assert.deepEqual(r1.concat(r2).map((m) => [m.body, m.receiveCount]), [['poison', 1], ['poison', 2]]);

    const r3 = await receive(store, src.id, T0 + 20, { max: 1, visibilityMs: 10, redrive });
    assert.deepEqual(bodies(r3), ['fine'], 'the moved message is skipped, the scan goes on');
    assert.deepEqual(await store.counts(src.id, T0 + 20), { visible: 0, inflight: 1, delayed: 0 });
    assert.deepEqual(await store.counts(dlq.id, T0 + 20), { visible: 1, inflight: 0, delayed: 0 }, 'visible in the DLQ at once');
    assert.deepEqual(await store.deleteMessages(src.id, [ref(r2[0]!)]), ['gone'], 'old handles no longer reach it');

    const [moved] = await receive(store, dlq.id, T0 + 20);
    assert.ok(moved);
    assert.equal(moved.messageId, original.messageId);
    assert.equal(moved.body, 'poison');
    assert.deepEqual(moved.attributes, original.attributes);
    assert.equal(moved.sentMs, T0 - 1, 'sentMs is kept, so DLQ retention counts from the send');
    assert.equal(moved.receiveCount, 3, 'the count carries over');
    assert.equal(moved.firstReceiveMs, T0);
    assert.equal(moved.deadLetterSourceArn, redrive.sourceArn);
  }));

  it('returns the message as usual when the dead-letter queue no longer exists', withStore(open, async (store) => {
    const src = await newQueue(store, 'src');
    const dlq = await newQueue(store, 'dlq');
    await store.deleteQueue(dlq.id, T0);
    const redrive = { dlqId: dlq.id, maxReceiveCount: 1, sourceArn: 'arn:aws:sqs:us-east-1:000000000000:src' };
    await store.sendMessages(src.id, [msg({ body: 'stay' })]);
    await receive(store, src.id, T0, { visibilityMs: 0, redrive });
    const [m] = await receive(store, src.id, T0, { redrive });
    assert.deepEqual([m?.body, m?.receiveCount, m?.deadLetterSourceArn], ['stay', 2, undefined]);
  }));

  it('round-trips message attributes, binary as base64, and the optional fields', withStore(open, async (store) => {
    const q = await newQueue(store, 'q.fifo', { fifo: true });
    const binary = Buffer.from([0, 1, 2, 0xfe, 0xff, 0x80]).toString('base64');
    const sent = msg({
      attributes: {
        str: { DataType: 'String', StringValue: 'héllo 🌍' },
        num: { DataType: 'Number.float', StringValue: '-1.5e3' },
        bin: { DataType: 'Binary', BinaryValue: binary },
        'custom.type': { DataType: 'Binary.gzip', BinaryValue: '' },
      },
      systemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' } },
      groupId: 'g-1',
      dedupId: 'd-1',
      sequenceNumber: '18849496460467696128',
      deadLetterSourceArn: 'arn:aws:sqs:us-east-1:000000000000:elsewhere.fifo',
      receiveCount: 4,
      firstReceiveMs: T0 - 100,
    });
    await store.sendMessages(q.id, [sent]);
    const [got] = await receive(store, q.id, T0);
    const { seq: _seq, ...rest } = got!;
    // A FIFO queue's engine assigns the sequence number itself (strictly increasing, 20 digits).
    assert.match(rest.sequenceNumber!, /^\d{20}$/);
    assert.deepEqual(rest, { ...sent, sequenceNumber: rest.sequenceNumber, receiveCount: 5, firstReceiveMs: T0 - 100, visibleAtMs: T0 + 30_000 });
    assert.deepEqual(Buffer.from(got!.attributes.bin!.BinaryValue!, 'base64'), Buffer.from([0, 1, 2, 0xfe, 0xff, 0x80]));
  }));

  it('keeps unicode bodies byte-identical', withStore(open, async (store) => {
    const q = await newQueue(store);
    const texts = [
      '😀👍🏽👨‍👩‍👧‍👦', // emoji, skin tone, ZWJ sequence
      '𝌆 𝄞 𠜎 𐍈', // astral plane
      'naïve café 日本語 العربية עברית',
      'e\u0301 vs \u00e9', // combining mark vs precomposed: must not be normalised
      'tab\tcr\rlf\n"quotes" \'single\' <xml>&amp;</xml> \\ back',
      '\uFFFD\uFEFF\u200B zero-width',
      'x'.repeat(70_000) + '🌍',
    ];
    await store.sendMessages(q.id, texts.map((body) => msg({ body })));
    const got = await receive(store, q.id, T0);
    assert.equal(got.length, texts.length);
    got.forEach((m: StoredMessage, i) => {
      assert.equal(m.body, texts[i]);
      assert.deepEqual(Buffer.from(m.body, 'utf8'), Buffer.from(texts[i]!, 'utf8'));
    });
  }));
}

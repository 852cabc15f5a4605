// Several consumers receive from one FIFO queue at once (interleaved promises, no clock movement),
// on real SQLite and on the memory engine: a message group is never held by two consumers at the
// same time, every group is processed in send order, and nothing is lost or duplicated (spec §6.7:
// "FIFO queues deliver exactly once"). Then, on SQLite only, FIFO state across close and reopen.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { RequestContext } from '../../src/core/api.js';
import { QueueService } from '../../src/core/queue-service.js';
import { ManualClock } from '../../src/core/scheduler.js';
import type { Store } from '../../src/core/store.js';
import { nodeCrypto } from '../../src/server.js';
import { MemoryStore } from '../../src/storage/memory/memory-store.js';
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js';

const T0 = 1_700_000_000_000;
const ctx: RequestContext = { accountId: '000000000000', region: 'us-east-1', baseUrl: 'http://localhost:9324', senderId: 'AIDTEST' };
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Engine {
  name: string;
  open(): Promise<{ store: Store; cleanup(): Promise<void> }>;
}

const engines: Engine[] = [
  { name: 'memory', open: async () => ({ store: new MemoryStore(), cleanup: async () => {} }) },
  {
    name: 'sqlite',
    open: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'pier-fifo-'));
      return { store: await openSqliteStore(dir), cleanup: () => rm(dir, { recursive: true, force: true }) };
    },
  },
];

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Shape {
  groups: number;
  perGroup: number;
  consumers: number;
  seed: number;
}

async function run(engine: Engine, shape: Shape): Promise<void> {
  const { store, cleanup } = await engine.open();
  const clock = new ManualClock(T0);
  const service = new QueueService(store, clock, nodeCrypto);
  const a = service.actions;
  try {
    const url = (await a.CreateQueue(ctx, { QueueName: 'stock.fifo', Attributes: { FifoQueue: 'true' } })).QueueUrl;
    // Interleaved send order: round i of every group, then round i + 1; ten per batch.
    const sent: { group: string; index: number }[] = [];
    for (let i = 0; i < shape.perGroup; i++) for (let g = 0; g < shape.groups; g++) sent.push({ group: `sku-${g}`, index: i });
    for (let i = 0; i < sent.length; i += 10) {
      const entries = sent.slice(i, i + 10).map((m, j) => ({ Id: `e${j}`, MessageBody: `${m.group}:${m.index}`, MessageGroupId: m.group, MessageDeduplicationId: `${m.group}:${m.index}` }));
      const r = await a.SendMessageBatch(ctx, { QueueUrl: url, Entries: entries });
      assert.equal(r.Successful.length, entries.length);
    }
    const total = sent.length;

    const holder = new Map<string, number>(); // group → consumer holding some of its messages
    const done = new Map<string, number[]>(); // group → indices in the order they were deleted
    const deletedBodies = new Set<string>();
    let maxHeldGroups = 0;
    let abandoned = 0;
    let receives = 0;
    const byConsumer = new Map<number, number>();
    const rand = random(shape.seed);

    const consumer = async (id: number) => {
      for (let idle = 0; deletedBodies.size < total; ) {
        const got = (await a.ReceiveMessage(ctx, { QueueUrl: url, MaxNumberOfMessages: 1 + Math.floor(rand() * 10), AttributeNames: ['MessageGroupId'] })).Messages ?? [];
        if (got.length === 0) {
          assert.ok(++idle < 20_000, `consumer ${id} starved: ${deletedBodies.size}/${total} done`);
          await turn();
          continue;
        }
        idle = 0;
        const groups = new Map<string, typeof got>();
        for (const m of got) {
          const g = m.Attributes!.MessageGroupId;
          if (!groups.has(g)) groups.set(g, []);
          groups.get(g)!.push(m);
        }
        for (const [g, ms] of groups) {
          const other = holder.get(g);
          assert.equal(other, undefined, `group ${g} handed to consumer ${id} while consumer ${other} holds it`);
          holder.set(g, id);
          // The messages of a group come from its head, in order, skipping nothing.
          const next = done.get(g)?.length ?? 0;
          assert.deepEqual(ms.map((m) => Number(m.Body.split(':')[1])), ms.map((_, k) => next + k), `group ${g} out of order`);
        }
        maxHeldGroups = Math.max(maxHeldGroups, holder.size);
        for (let k = Math.floor(rand() * 4); k > 0; k--) await turn(); // "processing"
        if (++receives % 7 === 0) {
          // Every 7th receive is given back: release first, then make it visible again.
          abandoned++;
          for (const g of groups.keys()) holder.delete(g);
          await a.ChangeMessageVisibilityBatch(ctx, { QueueUrl: url, Entries: got.map((m, k) => ({ Id: `v${k}`, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })) });
          continue;
        }
        for (const [g, ms] of groups) {
          for (const m of ms) (done.get(g) ?? done.set(g, []).get(g)!).push(Number(m.Body.split(':')[1]));
          // A consumer lets go of a group when it asks for the deletes, before they are applied.
          holder.delete(g);
          if (rand() < 0.5) {
            const r = await a.DeleteMessageBatch(ctx, { QueueUrl: url, Entries: ms.map((m, k) => ({ Id: `d${k}`, ReceiptHandle: m.ReceiptHandle })) });
            assert.equal(r.Failed, undefined, JSON.stringify(r.Failed));
          } else {
            for (const m of ms) await a.DeleteMessage(ctx, { QueueUrl: url, ReceiptHandle: m.ReceiptHandle });
          }
          for (const m of ms) {
            assert.equal(deletedBodies.has(m.Body), false, `${m.Body} processed twice`);
            deletedBodies.add(m.Body);
          }
        }
        byConsumer.set(id, (byConsumer.get(id) ?? 0) + got.length);
      }
    };
    await Promise.all(Array.from({ length: shape.consumers }, (_, i) => consumer(i + 1)));

    assert.equal(deletedBodies.size, total, 'every message processed');
    for (let g = 0; g < shape.groups; g++) {
      assert.deepEqual(done.get(`sku-${g}`), Array.from({ length: shape.perGroup }, (_, i) => i), `sku-${g} in send order`);
    }
    const attrs = (await a.GetQueueAttributes(ctx, { QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] })).Attributes;
    assert.deepEqual(attrs, { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' }, 'nothing left behind');
    assert.ok(byConsumer.size > 1, 'more than one consumer did work');
    assert.ok(maxHeldGroups > 1, 'consumers really held groups at the same time');
    assert.ok(abandoned > 0, 'some receives were given back and redelivered');
  } finally {
    service.stopPolling();
    await store.close();
    await cleanup();
  }
}

for (const engine of engines) {
  describe(`${engine.name}: concurrent consumers on one FIFO queue`, () => {
    it('many groups, several messages each: exclusive groups, send order, exactly once', () => run(engine, { groups: 40, perGroup: 6, consumers: 6, seed: 1 }));
    it('few groups, many consumers: the contention case', () => run(engine, { groups: 3, perGroup: 25, consumers: 8, seed: 7 }));
    it('another interleaving (seed 42)', () => run(engine, { groups: 12, perGroup: 10, consumers: 5, seed: 42 }));
  });
}

describe('sqlite: FIFO state across close and reopen', () => {
  async function node(dir: string, nowMs: number) {
    const store = await openSqliteStore(dir);
    const clock = new ManualClock(nowMs);
    const service = new QueueService(store, clock, nodeCrypto);
    await service.start();
    return { store, clock, service, a: service.actions };
  }
  const stop = async (n: { store: Store; service: QueueService }) => {
    n.service.stopPolling();
    await n.store.close();
  };
  /** Polls until `cond` holds: writes settle after an fdatasync in the thread pool, not within a turn. */
  async function until(cond: () => Promise<boolean>) {
    for (let i = 0; i < 1000; i++) {
      if (await cond()) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.fail('condition never held');
  }

  it('keeps deduplication windows, group locks and sequence numbers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pier-fifo-'));
    const opened: { store: Store; service: QueueService }[] = [];
    try {
      const first = await node(dir, T0);
      opened.push(first);
      const url = (await first.a.CreateQueue(ctx, { QueueName: 'q.fifo', Attributes: { FifoQueue: 'true', VisibilityTimeout: '30' } })).QueueUrl;
      const s1 = await first.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'a1', MessageGroupId: 'a', MessageDeduplicationId: 'd1' });
      await first.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'a2', MessageGroupId: 'a', MessageDeduplicationId: 'd2' });
      const held = (await first.a.ReceiveMessage(ctx, { QueueUrl: url })).Messages!;
      assert.equal(held[0].Body, 'a1');
      await stop(first);

      const second = await node(dir, T0 + 10_000);
      opened.push(second);
      const dup = await second.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'again', MessageGroupId: 'a', MessageDeduplicationId: 'd1' });
      assert.deepEqual([dup.MessageId, dup.SequenceNumber], [s1.MessageId, s1.SequenceNumber], 'the window survived');
      assert.equal((await second.a.ReceiveMessage(ctx, { QueueUrl: url })).Messages, undefined, 'group a still locked by a1');
      second.clock.advance(20_000);
      const next = await second.a.SendMessage(ctx, { QueueUrl: url, MessageBody: 'a3', MessageGroupId: 'a', MessageDeduplicationId: 'd3' });
      assert.ok(BigInt(next.SequenceNumber!) > BigInt(s1.SequenceNumber!), 'sequence numbers keep growing');
      const got = (await second.a.ReceiveMessage(ctx, { QueueUrl: url, MaxNumberOfMessages: 10 })).Messages!;
      assert.deepEqual(got.map((m) => m.Body), ['a1', 'a2', 'a3']);
      await stop(second);
    } finally {
      for (const n of opened) await stop(n);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a RUNNING move task resumes after the restart and finishes without loss or duplicates', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pier-fifo-'));
    const opened: { store: Store; service: QueueService }[] = [];
    try {
      const first = await node(dir, T0);
      opened.push(first);
      const arn = (name: string) => `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${name}`;
      const dlq = (await first.a.CreateQueue(ctx, { QueueName: 'dlq.fifo', Attributes: { FifoQueue: 'true' } })).QueueUrl;
      const src = (await first.a.CreateQueue(ctx, {
        QueueName: 'src.fifo',
        Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn('dlq.fifo'), maxReceiveCount: 1 }) },
      })).QueueUrl;
      for (let i = 0; i < 6; i++) await first.a.SendMessage(ctx, { QueueUrl: src, MessageBody: `m${i}`, MessageGroupId: `g${i % 2}` });
      for (let i = 0; i < 4; i++) await first.a.ReceiveMessage(ctx, { QueueUrl: src, MaxNumberOfMessages: 10, VisibilityTimeout: 0 });
      const dlqCount = async (a: QueueService['actions'], url: string) =>
        Number((await a.GetQueueAttributes(ctx, { QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] })).Attributes!.ApproximateNumberOfMessages);
      assert.equal(await dlqCount(first.a, dlq), 6);
      await first.a.StartMessageMoveTask(ctx, { SourceArn: arn('dlq.fifo'), MaxNumberOfMessagesPerSecond: 2 });
      first.clock.advance(0);
      // Stop once the first batch and its progress are both on disk (they are two store calls).
      const moved = async () => ((await first.a.ListMessageMoveTasks(ctx, { SourceArn: arn('dlq.fifo') })).Results as { ApproximateNumberOfMessagesMoved: number }[])[0].ApproximateNumberOfMessagesMoved;
      await until(async () => (await moved()) === 2);
      assert.equal(await dlqCount(first.a, dlq), 4);
      await stop(first);

      const second = await node(dir, T0 + 60_000);
      opened.push(second);
      const list = async () => ((await second.a.ListMessageMoveTasks(ctx, { SourceArn: arn('dlq.fifo') })).Results as { Status: string; ApproximateNumberOfMessagesMoved: number }[])[0];
      assert.deepEqual([(await list()).Status, (await list()).ApproximateNumberOfMessagesMoved], ['RUNNING', 2]);
      second.clock.advance(0); // resumed: the next batch of 2 right away...
      await until(async () => (await list()).ApproximateNumberOfMessagesMoved === 4);
      assert.equal(await dlqCount(second.a, dlq), 2);
      second.clock.advance(1_000); // ...and the last one a second later.
      // A write is readable at COMMIT but settles after its fsync, so the runner may schedule that
      // batch only after this advance: keep firing due timers (advance(0) moves no time).
      await until(async () => {
        second.clock.advance(0);
        return (await list()).Status === 'COMPLETED';
      });
      assert.equal((await list()).ApproximateNumberOfMessagesMoved, 6);
      assert.equal(await dlqCount(second.a, dlq), 0);
      const back = (await second.a.ReceiveMessage(ctx, { QueueUrl: src, MaxNumberOfMessages: 10, AttributeNames: ['MessageGroupId'] })).Messages!;
      assert.deepEqual(back.map((m) => m.Body).sort(), ['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
      const order = (g: string) => back.filter((m) => m.Attributes!.MessageGroupId === g).map((m) => m.Body);
      assert.deepEqual(order('g0'), ['m0', 'm2', 'm4']);
      assert.deepEqual(order('g1'), ['m1', 'm3', 'm5']);
      await stop(second);
    } finally {
      for (const n of opened) await stop(n);
      await rm(dir, { recursive: true, force: true });
    }
  });
});

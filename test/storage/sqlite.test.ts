// Runs the store contract against SQLite (a fresh temp dir per case), then what only a disk engine
// has to prove: reopened data survives, group commit stores every concurrent write, concurrent
// receivers never share a message, and receive still works on a large backlog.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { msg, newQueue, receive, ref, T0 } from './contract-fixtures.js';
import { storeContract } from './contract.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'pier-sqlite-'));
const removeDir = (dir: string) => rm(dir, { recursive: true, force: true });

storeContract('sqlite', async () => {
  const dir = await tempDir();
  return { store: await openSqliteStore(dir), cleanup: () => removeDir(dir) };
});

describe('sqlite store on disk', () => {
  it('keeps every message, queue and receive state across close and reopen', async () => {
    const dir = await tempDir();
    try {
      const first = await openSqliteStore(dir);
      const q = await newQueue(first, 'durable', { tags: { keep: 'me' } });
      const sent = Array.from({ length: 100 }, (_, i) => msg({ body: `m${i} 🚀` }));
      await Promise.all(sent.map((m) => first.sendMessages(q.id, [m])));
      const received = await receive(first, q.id, T0, { max: 10, visibilityMs: 60_000 });
      await first.close();

      const second = await openSqliteStore(dir);
      assert.deepEqual(await second.getQueueById(q.id), q);
      assert.deepEqual(await second.counts(q.id, T0), { visible: 90, inflight: 10, delayed: 0 });
      assert.deepEqual(await second.deleteMessages(q.id, received.map(ref)), received.map(() => 'deleted'), 'handles survive too');
      const rest = await receive(second, q.id, T0, { max: 1_000 });
      assert.deepEqual(new Set(rest.map((m) => m.body)), new Set(sent.slice(10).map((m) => m.body)));
      const another = await newQueue(second, 'after-reopen');
      assert.ok(another.id > q.id);
      await second.close();
      await second.close(); // idempotent
    } finally {
      await removeDir(dir);
    }
  });

  it('group-commits many writes from one tick, and a failing one rejects alone', async () => {
    const dir = await tempDir();
    const store = await openSqliteStore(dir);
    try {
      const q = await newQueue(store);
      const writes = Array.from({ length: 500 }, (_, i) => store.sendMessages(q.id, [msg({ body: `n${i}` })]));
      const bad = store.sendMessages(q.id + 1_000, [msg({ body: 'nowhere' })]);
      const results = await Promise.allSettled([...writes, bad]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 500);
      await assert.rejects(bad, { name: 'QueueDoesNotExist' });
      assert.deepEqual(await store.counts(q.id, T0), { visible: 500, inflight: 0, delayed: 0 });
      const got = await receive(store, q.id, T0, { max: 1_000 });
      assert.deepEqual(got.map((m) => m.body), writes.map((_, i) => `n${i}`), 'stored in call order');
    } finally {
      await store.close();
      await removeDir(dir);
    }
  });

  it('never hands one message to two concurrent receivers', async () => {
    const dir = await tempDir();
    const store = await openSqliteStore(dir);
    try {
      const q = await newQueue(store);
      await store.sendMessages(q.id, Array.from({ length: 300 }, () => msg()));
      const seen = new Map<number, number>();
      const consumer = async (name: number) => {
        for (;;) {
          const got = await receive(store, q.id, T0, { max: 7 });
          if (got.length === 0) return;
          for (const m of got) {
            assert.equal(seen.get(m.seq), undefined, `seq ${m.seq} went to consumers ${seen.get(m.seq)} and ${name}`);
            seen.set(m.seq, name);
          }
          await new Promise<void>((resolve) => setImmediate(resolve)); // interleave with the other one
        }
      };
      await Promise.all([consumer(1), consumer(2), consumer(3)]);
      assert.equal(seen.size, 300);
      assert.ok(new Set(seen.values()).size > 1, 'the consumers actually interleaved');
    } finally {
      await store.close();
      await removeDir(dir);
    }
  });

  it('receives from a 50,000-message backlog, oldest first', async () => {
    const dir = await tempDir();
    const store = await openSqliteStore(dir);
    try {
      const q = await newQueue(store);
      const total = 50_000;
      await store.sendMessages(q.id, Array.from({ length: total }, (_, i) => msg({ body: `b${i}`, sentMs: T0 + i, visibleAtMs: T0 + i })));
      const now = T0 + total;
      assert.deepEqual((await receive(store, q.id, now, { max: 10 })).map((m) => m.body), Array.from({ length: 10 }, (_, i) => `b${i}`));
      assert.equal(await store.nextVisibleAtMs(q.id), T0 + 10);
      assert.deepEqual(await store.counts(q.id, now), { visible: total - 10, inflight: 10, delayed: 0 });
      // Expiry on the way: everything sent before the retention cut-off is dropped in one receive.
      const [m] = await receive(store, q.id, now, { max: 1, retentionMs: total - 40_000 });
      assert.equal(m?.body, 'b40001');
      assert.deepEqual(await store.counts(q.id, now), { visible: total - 40_002, inflight: 11, delayed: 0 });
    } finally {
      await store.close();
      await removeDir(dir);
    }
  });
});

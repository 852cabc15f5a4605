// The store contract: one suite that every engine must pass unchanged. Queue cases live here;
// message and receipt-handle cases in the sibling modules. Time is explicit nowMs, never a sleep.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fifoCases } from './contract-fifo.js';
import { handleCases } from './contract-handles.js';
import { messageCases } from './contract-messages.js';
import { msg, newQueue, queueInput, receive, T0, withStore, type OpenStore } from './contract-fixtures.js';

export type { OpenedStore, OpenStore } from './contract-fixtures.js';

export function storeContract(name: string, open: OpenStore): void {
  describe(`${name} store contract`, () => {
    describe('queues', () => queueCases(open));
    describe('messages', () => messageCases(open));
    describe('receipt handles and counts', () => handleCases(open));
    describe('FIFO queues and move tasks', () => fifoCases(open));
  });
}

function queueCases(open: OpenStore): void {
  it('creates a queue once and returns the stored record on a repeat', withStore(open, async (store) => {
    const input = queueInput('orders', { fifo: false, attributes: { DelaySeconds: '5' }, tags: { team: 'a' } });
    const first = await store.createQueue(input);
    assert.equal(first.created, true);
    assert.deepEqual(first.queue, { ...input, id: first.queue.id });
    const again = await store.createQueue({ ...input, attributes: { DelaySeconds: '9' } });
    assert.equal(again.created, false);
    assert.deepEqual(again.queue, first.queue);
  }));

  it('gets a queue by key and by id, and undefined for unknown ones', withStore(open, async (store) => {
    const q = await newQueue(store, 'jobs.fifo', { fifo: true, attributes: { FifoQueue: 'true' }, tags: { env: 'test', 'ü': '✓' } });
    assert.deepEqual(await store.getQueue({ accountId: q.accountId, region: q.region, name: 'jobs.fifo' }), q);
    assert.deepEqual(await store.getQueueById(q.id), q);
    assert.equal(await store.getQueue({ accountId: q.accountId, region: q.region, name: 'JOBS.fifo' }), undefined);
    assert.equal(await store.getQueue({ accountId: '111111111111', region: q.region, name: 'jobs.fifo' }), undefined);
    assert.equal(await store.getQueueById(q.id + 1000), undefined);
  }));

  it('lists by name ascending, filters by prefix, separates accounts and regions', withStore(open, async (store) => {
    for (const name of ['beta', 'alpha-2', 'alpha-1', 'Zulu', 'gamma']) await newQueue(store, name);
    await newQueue(store, 'alpha-other-region', { region: 'eu-west-1' });
    await newQueue(store, 'alpha-other-account', { accountId: '111111111111' });
    const names = async (prefix?: string) => (await store.listQueues('000000000000', 'us-east-1', prefix)).map((q) => q.name);
    assert.deepEqual(await names(), ['Zulu', 'alpha-1', 'alpha-2', 'beta', 'gamma']);
    assert.deepEqual(await names('alpha'), ['alpha-1', 'alpha-2']);
    assert.deepEqual(await names('alpha-2'), ['alpha-2']);
    assert.deepEqual(await names('zulu'), []);
    assert.deepEqual(await names('%'), []);
    assert.deepEqual((await store.listQueues('000000000000', 'eu-west-1')).map((q) => q.name), ['alpha-other-region']);
    assert.deepEqual((await store.listQueues('111111111111', 'us-east-1', 'alpha')).map((q) => q.name), ['alpha-other-account']);
    assert.equal((await store.allQueues()).length, 7);
  }));

  it('updates only the patched fields', withStore(open, async (store) => {
    const q = await newQueue(store, 'patched', { attributes: { A: '1', B: '2' }, tags: { t: '1' } });
    await store.updateQueue(q.id, { attributes: { A: '3' } });
    assert.deepEqual(await store.getQueueById(q.id), { ...q, attributes: { A: '3' } });
    await store.updateQueue(q.id, { tags: {}, lastModifiedMs: T0 + 5, lastPurgeMs: T0 + 7 });
    assert.deepEqual(await store.getQueueById(q.id), { ...q, attributes: { A: '3' }, tags: {}, lastModifiedMs: T0 + 5, lastPurgeMs: T0 + 7 });
    await store.updateQueue(q.id + 1000, { tags: { x: 'y' } }); // unknown id: no effect, no error
  }));

  it('deletes a queue with its messages and remembers when, per key', withStore(open, async (store) => {
    const q = await newQueue(store, 'doomed');
    const key = { accountId: q.accountId, region: q.region, name: q.name };
    await store.sendMessages(q.id, [msg(), msg()]);
    assert.equal(await store.lastDeletedMs(key), undefined);
    await store.deleteQueue(q.id, T0 + 100);
    assert.equal(await store.getQueue(key), undefined);
    assert.equal(await store.getQueueById(q.id), undefined);
    assert.equal(await store.lastDeletedMs(key), T0 + 100);
    assert.equal(await store.lastDeletedMs({ ...key, region: 'eu-west-1' }), undefined);
    assert.deepEqual(await store.counts(q.id, T0 + 100), { visible: 0, inflight: 0, delayed: 0 });
    assert.deepEqual(await store.listQueues(q.accountId, q.region), []);

    const again = await newQueue(store, 'doomed');
    assert.ok(again.id > q.id, 'a re-created queue gets a new id');
    assert.deepEqual(await receive(store, again.id, T0 + 200), [], 'old messages do not come back');
    await store.deleteQueue(again.id, T0 + 300);
    assert.equal(await store.lastDeletedMs(key), T0 + 300, 'the latest deletion wins');
  }));

  it('never reuses queue ids or message seqs, even after deleting the newest', withStore(open, async (store) => {
    const a = await newQueue(store, 'a');
    await store.deleteQueue(a.id, T0);
    const b = await newQueue(store, 'b');
    assert.ok(b.id > a.id);
    await store.sendMessages(b.id, [msg()]);
    const [first] = await receive(store, b.id, T0);
    assert.deepEqual(await store.deleteMessages(b.id, [{ seq: first!.seq, receiveCount: 1 }]), ['deleted']);
    await store.sendMessages(b.id, [msg()]);
    const [second] = await receive(store, b.id, T0);
    assert.ok(second!.seq > first!.seq);
  }));

  it('refuses to send to a queue that does not exist', withStore(open, async (store) => {
    const q = await newQueue(store, 'gone-soon');
    await store.deleteQueue(q.id, T0);
    await assert.rejects(store.sendMessages(q.id, [msg()]), { name: 'QueueDoesNotExist' });
    assert.deepEqual(await receive(store, q.id, T0), []);
  }));
}

// Contract cases for what a receipt handle may do (delete, change visibility) and for the
// queue-wide verbs: purge, counts, nextVisibleAtMs and retention sweeps.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { bodies, msg, newQueue, receive, ref, T0, withStore, type OpenStore } from './contract-fixtures.js';

const TWELVE_HOURS = 43_200_000;

export function handleCases(open: OpenStore): void {
  it('reports deleted, stale and gone per ref', withStore(open, async (store) => {
    const q = await newQueue(store);
    const other = await newQueue(store, 'other');
    await store.sendMessages(q.id, [msg({ body: 'a' }), msg({ body: 'b' }), msg({ body: 'c' })]);
    const [a, b, c] = await receive(store, q.id, T0, { visibilityMs: 100 });
    const [aAgain] = await receive(store, q.id, T0 + 100, { max: 1 }); // a and b visible again; a comes first
    assert.equal(aAgain!.body, 'a');
    assert.deepEqual(await store.deleteMessages(other.id, [ref(b!)]), ['gone'], 'another queue never matches');
    assert.deepEqual(await store.deleteMessages(q.id, [ref(a!), ref(b!), { seq: c!.seq + 1000, receiveCount: 1 }]), [
      'stale', // a was received again: the older handle changes nothing
      'deleted', // b's visibility ran out but nobody re-received it: its latest handle still deletes
      'gone',
    ]);
    assert.deepEqual(await store.deleteMessages(q.id, [ref(b!), ref(aAgain!), ref(aAgain!)]), ['gone', 'deleted', 'gone']);
    assert.deepEqual(await store.counts(q.id, T0 + 99), { visible: 0, inflight: 1, delayed: 0 }, 'only c is left');
  }));

  it('changes visibility from now, and 0 makes the message visible at once', withStore(open, async (store) => {
    const q = await newQueue(store);
    await store.sendMessages(q.id, [msg({ body: 'a' }), msg({ body: 'b' })]);
    const [a, b] = await receive(store, q.id, T0, { visibilityMs: 30_000 });
    assert.deepEqual(await store.changeVisibility(q.id, [{ ref: ref(a!), visibilityMs: 5_000 }, { ref: ref(b!), visibilityMs: 0 }], T0 + 1_000, TWELVE_HOURS), [
      'changed',
      'changed',
    ]);
    assert.deepEqual(bodies(await receive(store, q.id, T0 + 1_000, { visibilityMs: 30_000 })), ['b']);
    assert.deepEqual(await receive(store, q.id, T0 + 5_999), []);
    assert.equal(await store.nextVisibleAtMs(q.id), T0 + 6_000);
    assert.deepEqual(bodies(await receive(store, q.id, T0 + 6_000)), ['a']);
  }));

  it('answers gone for stale, deleted, unknown and other-queue handles', withStore(open, async (store) => {
    const q = await newQueue(store);
    const other = await newQueue(store, 'other');
    await store.sendMessages(q.id, [msg({ body: 'a' }), msg({ body: 'b' })]);
    const [a, b] = await receive(store, q.id, T0, { visibilityMs: 0 });
    const [aAgain] = await receive(store, q.id, T0, { max: 1 });
    await store.deleteMessages(q.id, [ref(b!)]);
    const change = (r: { seq: number; receiveCount: number }) => ({ ref: r, visibilityMs: 10 });
    assert.deepEqual(await store.changeVisibility(q.id, [change(ref(a!)), change(ref(b!)), change({ seq: 999_999, receiveCount: 1 })], T0, TWELVE_HOURS), [
      'gone',
      'gone',
      'gone',
    ]);
    assert.deepEqual(await store.changeVisibility(other.id, [change(ref(aAgain!))], T0, TWELVE_HOURS), ['gone']);
    assert.deepEqual(await store.changeVisibility(q.id, [change(ref(aAgain!))], T0, TWELVE_HOURS), ['changed']);
  }));

  it('refuses a visibility past maxInvisibleMs after the latest receive', withStore(open, async (store) => {
    const q = await newQueue(store);
    await store.sendMessages(q.id, [msg()]);
    await receive(store, q.id, T0, { visibilityMs: 0 });
    const [m] = await receive(store, q.id, T0 + 1_000, { visibilityMs: 60_000 }); // the limit counts from here
    const at = (nowMs: number, visibilityMs: number) => store.changeVisibility(q.id, [{ ref: ref(m!), visibilityMs }], nowMs, TWELVE_HOURS);
    assert.deepEqual(await at(T0 + 2_000, TWELVE_HOURS - 1_000), ['changed'], 'exactly at the limit is allowed');
    assert.deepEqual(await at(T0 + 2_000, TWELVE_HOURS - 999), ['too-long']);
    assert.deepEqual(await receive(store, q.id, T0 + TWELVE_HOURS + 999), [], 'a refused change leaves visibility as it was');
    assert.deepEqual(await at(T0 + 10_000, 0), ['changed']);
    assert.equal((await receive(store, q.id, T0 + 10_000)).length, 1);
  }));

  it('purges every message of one queue, visible, in flight and delayed', withStore(open, async (store) => {
    const q = await newQueue(store);
    const other = await newQueue(store, 'other');
    await store.sendMessages(q.id, [msg(), msg(), msg({ visibleAtMs: T0 + 1_000 })]);
    await store.sendMessages(other.id, [msg({ body: 'survivor' })]);
    await receive(store, q.id, T0, { max: 1 });
    await store.purgeQueue(q.id);
    assert.deepEqual(await store.counts(q.id, T0), { visible: 0, inflight: 0, delayed: 0 });
    assert.equal(await store.nextVisibleAtMs(q.id), undefined);
    assert.deepEqual(bodies(await receive(store, other.id, T0)), ['survivor']);
  }));

  it('counts visible, in flight and delayed at a given time', withStore(open, async (store) => {
    const q = await newQueue(store);
    assert.deepEqual(await store.counts(q.id, T0), { visible: 0, inflight: 0, delayed: 0 });
    await store.sendMessages(q.id, [msg(), msg(), msg(), msg({ visibleAtMs: T0 + 500 }), msg({ visibleAtMs: T0 + 2_000 })]);
    await receive(store, q.id, T0, { max: 2, visibilityMs: 1_000 });
    assert.deepEqual(await store.counts(q.id, T0), { visible: 1, inflight: 2, delayed: 2 });
    assert.deepEqual(await store.counts(q.id, T0 + 500), { visible: 2, inflight: 2, delayed: 1 });
    assert.deepEqual(await store.counts(q.id, T0 + 1_000), { visible: 4, inflight: 0, delayed: 1 });
    assert.deepEqual(await store.counts(q.id, T0 + 2_000), { visible: 5, inflight: 0, delayed: 0 });
  }));

  it('reports the smallest visibleAtMs, in flight ones included', withStore(open, async (store) => {
    const q = await newQueue(store);
    assert.equal(await store.nextVisibleAtMs(q.id), undefined);
    await store.sendMessages(q.id, [msg({ visibleAtMs: T0 + 900 }), msg({ visibleAtMs: T0 + 300 }), msg({ visibleAtMs: T0 + 600 })]);
    assert.equal(await store.nextVisibleAtMs(q.id), T0 + 300);
    const [m] = await receive(store, q.id, T0 + 300, { visibilityMs: 1_000 });
    assert.equal(await store.nextVisibleAtMs(q.id), T0 + 600);
    await receive(store, q.id, T0 + 600, { visibilityMs: 1_000 });
    assert.equal(await store.nextVisibleAtMs(q.id), T0 + 900);
    await receive(store, q.id, T0 + 900, { visibilityMs: 10_000 });
    assert.equal(await store.nextVisibleAtMs(q.id), T0 + 1_300, 'the first in-flight message');
    await store.deleteMessages(q.id, [ref(m!)]);
    assert.equal(await store.nextVisibleAtMs(q.id), T0 + 1_600);
  }));

  it('expires messages sent at or before a time, in one queue only', withStore(open, async (store) => {
    const q = await newQueue(store);
    const other = await newQueue(store, 'other');
    await store.sendMessages(q.id, [msg({ sentMs: T0 - 1 }), msg({ sentMs: T0 }), msg({ sentMs: T0 + 1, body: 'kept' })]);
    await store.sendMessages(other.id, [msg({ sentMs: T0 - 1 })]);
    await receive(store, q.id, T0, { max: 1 }); // in-flight messages expire too
    assert.equal(await store.expireMessages(q.id, T0, T0), 2);
    assert.equal(await store.expireMessages(q.id, T0, T0), 0);
    assert.deepEqual(bodies(await receive(store, q.id, T0)), ['kept']);
    assert.deepEqual(await store.counts(other.id, T0), { visible: 1, inflight: 0, delayed: 0 });
  }));
}

// The scheduler heap (one platform timer, deadline order, cancel) and long-poll waiters (wake on
// notify, on deadline, on close), all on a ManualClock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Waiters } from '../../src/core/long-poll.js';
import { HeapScheduler, ManualClock } from '../../src/core/scheduler.js';
import { settle, T0, track } from './helpers.js';

describe('HeapScheduler', () => {
  it('fires due entries in deadline order, ties in insertion order', () => {
    const clock = new ManualClock(T0);
    const fired: string[] = [];
    // A deterministic shuffle of deadlines, with duplicates.
    const deadlines = [50, 10, 40, 10, 30, 0, 20, 40, 5, 50, 1];
    deadlines.forEach((d, i) => clock.at(T0 + d, () => fired.push(`${d}#${i}`)));
    clock.advance(60);
    const expected = deadlines
      .map((d, i) => ({ d, i }))
      .sort((a, b) => a.d - b.d || a.i - b.i)
      .map(({ d, i }) => `${d}#${i}`);
    assert.deepEqual(fired, expected);
    assert.equal(clock.size, 0);
  });

  it('fires only what is due, the rest later', () => {
    const clock = new ManualClock(T0);
    const fired: number[] = [];
    for (const d of [300, 100, 200]) clock.at(T0 + d, () => fired.push(d));
    clock.advance(99);
    assert.deepEqual(fired, []);
    clock.advance(1);
    assert.deepEqual(fired, [100]);
    clock.advance(150);
    assert.deepEqual(fired, [100, 200]);
    clock.advance(50);
    assert.deepEqual(fired, [100, 200, 300]);
  });

  it('fires a deadline in the past on the next run', () => {
    const clock = new ManualClock(T0);
    let fired = 0;
    clock.at(T0 - 1000, () => fired++);
    clock.advance(0);
    assert.equal(fired, 1);
  });

  it('does not fire a cancelled entry, and others still fire', () => {
    const clock = new ManualClock(T0);
    const fired: string[] = [];
    const a = clock.at(T0 + 10, () => fired.push('a'));
    clock.at(T0 + 20, () => fired.push('b'));
    const c = clock.at(T0 + 30, () => fired.push('c'));
    a.cancel();
    c.cancel();
    c.cancel(); // idempotent
    clock.advance(100);
    assert.deepEqual(fired, ['b']);
  });

  it('runs an entry scheduled by a firing callback when it is already due', () => {
    const clock = new ManualClock(T0);
    const fired: string[] = [];
    clock.at(T0 + 10, () => {
      fired.push('first');
      clock.at(T0 + 5, () => fired.push('chained'));
      clock.at(T0 + 500, () => fired.push('later'));
    });
    clock.advance(10);
    assert.deepEqual(fired, ['first', 'chained']);
    clock.advance(490);
    assert.deepEqual(fired, ['first', 'chained', 'later']);
  });

  it('keeps one platform timer armed for the earliest live deadline', () => {
    let now = T0;
    const armed: number[] = [];
    let onFire: (() => void) | undefined;
    const s = new HeapScheduler(() => now, {
      arm: (delay, fire) => {
        armed.push(delay);
        onFire = fire;
      },
      disarm: () => {},
    });
    const late = s.at(T0 + 500, () => {});
    s.at(T0 + 900, () => {});
    assert.deepEqual(armed, [500]);
    s.at(T0 + 100, () => {});
    assert.deepEqual(armed, [500, 100]); // re-armed for the earlier deadline
    s.at(T0 + 200, () => {});
    assert.equal(armed.length, 2); // a later deadline does not re-arm
    now = T0 + 250;
    onFire!();
    late.cancel();
    s.at(T0 + 300, () => {});
    assert.equal(armed.at(-1), 50);
    now = T0 + 300;
    onFire!();
    assert.equal(armed.at(-1), 600); // the cancelled 500 is skipped: next live deadline is 900
  });
});

describe('Waiters (long-poll)', () => {
  it('wait resolves at its deadline and not before', async () => {
    const clock = new ManualClock(T0);
    const w = new Waiters(clock);
    const p = track(w.wait(1, T0 + 20_000));
    clock.advance(19_999);
    await settle();
    assert.equal(p.done(), false);
    assert.equal(w.waiting(1), 1);
    clock.advance(1);
    await p.value;
    assert.equal(w.waiting(1), 0);
  });

  it('notify wakes waiters of that queue only, oldest first, up to count', async () => {
    const clock = new ManualClock(T0);
    const w = new Waiters(clock);
    const order: string[] = [];
    const a = w.wait(1, T0 + 20_000).then(() => order.push('a'));
    const b = track(w.wait(1, T0 + 20_000).then(() => order.push('b')));
    const other = track(w.wait(2, T0 + 20_000));
    w.notify(1, 1);
    await a;
    await settle();
    assert.deepEqual(order, ['a']);
    assert.equal(b.done(), false);
    assert.equal(other.done(), false);
    w.notify(1);
    await b.value;
    assert.deepEqual(order, ['a', 'b']);
    assert.equal(other.done(), false);
    assert.equal(w.waiting(2), 1);
  });

  it('a woken waiter cancels its timer (no stray entries left)', async () => {
    const clock = new ManualClock(T0);
    const w = new Waiters(clock);
    const p = w.wait(7, T0 + 5_000);
    w.notify(7);
    await p;
    clock.advance(5_000); // the timer was cancelled, so this must not throw or double-wake
    assert.equal(w.waiting(7), 0);
  });

  it('notify on a queue nobody waits on is a no-op', () => {
    const w = new Waiters(new ManualClock(T0));
    w.notify(99);
    assert.equal(w.waiting(99), 0);
  });

  it('close wakes everyone, and later waits resolve at once', async () => {
    const clock = new ManualClock(T0);
    const w = new Waiters(clock);
    const ps = [w.wait(1, T0 + 20_000), w.wait(2, T0 + 20_000)];
    w.close();
    await Promise.all(ps);
    assert.equal(w.isClosed, true);
    const late = track(w.wait(1, T0 + 20_000));
    await settle();
    assert.equal(late.done(), true);
  });
});

// One scheduler per node: a binary heap of deadlines behind a single platform timer (never a
// timer per message or per waiter). The platform timer is injected, so tests drive time with
// ManualClock.advance() and nothing sleeps.
import type { Scheduler, TimerHandle } from './ports.js';

interface Entry {
  atMs: number;
  order: number;
  fn: (() => void) | undefined;
}

/** Arms one platform timer; server.ts passes setTimeout/clearTimeout. */
export interface TimerDriver {
  arm(delayMs: number, onFire: () => void): void;
  disarm(): void;
}

export class HeapScheduler implements Scheduler {
  private heap: Entry[] = [];
  private order = 0;
  private armedAt = Infinity;

  constructor(
    private readonly clock: () => number,
    private readonly driver?: TimerDriver,
  ) {}

  now(): number {
    return this.clock();
  }

  at(atMs: number, fn: () => void): TimerHandle {
    const entry: Entry = { atMs, order: this.order++, fn };
    this.push(entry);
    this.rearm();
    return { cancel: () => void (entry.fn = undefined) };
  }

  /** Fires every entry that is due, in deadline order. */
  runDue(): void {
    const now = this.clock();
    while (this.heap.length > 0 && this.heap[0].atMs <= now) {
      const fn = this.pop().fn;
      fn?.();
    }
    this.armedAt = Infinity;
    this.rearm();
  }

  get size(): number {
    return this.heap.length;
  }

  private rearm(): void {
    if (!this.driver) return;
    while (this.heap.length > 0 && !this.heap[0].fn) this.pop();
    const next = this.heap[0]?.atMs ?? Infinity;
    if (next === this.armedAt) return;
    this.driver.disarm();
    this.armedAt = next;
    if (next !== Infinity) this.driver.arm(Math.max(0, next - this.clock()), () => this.runDue());
  }

  private less(a: Entry, b: Entry): boolean {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.order < b.order);
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): Entry {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

/** A clock tests move by hand; due timers fire inside advance(). */
export class ManualClock extends HeapScheduler {
  private t: number;
  constructor(startMs = 1_700_000_000_000) {
    let self: ManualClock | undefined;
    super(() => self!.t);
    self = this;
    this.t = startMs;
  }
  advance(ms: number): void {
    this.t += ms;
    this.runDue();
  }
}

// Long-poll waiters per queue. A send wakes waiters until their capacities (MaxNumberOfMessages)
// cover the messages it added, so one 10-message batch wakes one 10-message poll; a timer wakes a
// waiter when the next hidden message becomes visible or its wait ends. Shutdown wakes everyone
// so waiting receives answer empty at once.
import type { Scheduler, TimerHandle } from './ports.js';

interface Waiter {
  wake: () => void;
  capacity: number;
}

export class Waiters {
  private byQueue = new Map<number, Set<Waiter>>();
  private closed = false;

  constructor(private readonly scheduler: Scheduler) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves at `untilMs`, or earlier when notified for this queue or on shutdown. */
  wait(queueId: number, untilMs: number, capacity = 1, signal?: AbortSignal): Promise<void> {
    if (this.closed || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: TimerHandle | undefined;
      const waiter: Waiter = {
        capacity,
        wake: () => {
          timer?.cancel();
          signal?.removeEventListener('abort', waiter.wake);
          this.byQueue.get(queueId)?.delete(waiter);
          resolve();
        },
      };
      let set = this.byQueue.get(queueId);
      if (!set) this.byQueue.set(queueId, (set = new Set()));
      set.add(waiter);
      timer = this.scheduler.at(untilMs, waiter.wake);
      // A waiter whose client left stops waiting at once, so it takes no share of a later notify.
      signal?.addEventListener('abort', waiter.wake, { once: true });
    });
  }

  /** Wakes waiters of the queue, oldest first, until their capacities cover `count` messages. */
  notify(queueId: number, count = Infinity): void {
    const set = this.byQueue.get(queueId);
    if (!set) return;
    for (const w of [...set]) {
      if (count <= 0) break;
      count -= w.capacity;
      w.wake();
    }
    if (set.size === 0) this.byQueue.delete(queueId);
  }

  waiting(queueId: number): number {
    return this.byQueue.get(queueId)?.size ?? 0;
  }

  close(): void {
    this.closed = true;
    for (const id of [...this.byQueue.keys()]) this.notify(id);
  }
}

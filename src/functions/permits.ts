// A counting semaphore for a function's reserved concurrency, shared by all its mappings. An
// unlimited function (no reserved concurrency) never blocks.

export class Permits {
  private used = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number = Infinity) {}

  /** Takes a permit if one is free now. */
  tryAcquire(): boolean {
    if (this.used >= this.limit) return false;
    this.used++;
    return true;
  }

  /** Waits for a permit (first come, first served). */
  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next(); // hand the permit straight over: `used` stays the same
    else this.used--;
  }

  get inUse(): number {
    return this.used;
  }
}

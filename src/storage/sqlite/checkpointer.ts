// Starts and stops the checkpoint worker thread. A failed checkpoint is recorded, not thrown: the
// WAL only grows until the next successful pass, and requests never wait on it.
import { Worker } from 'node:worker_threads';
import type { CheckpointOptions } from './checkpoint-worker.js';

export class Checkpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  lastError: string | undefined;

  constructor(options: CheckpointOptions) {
    this.worker = new Worker(new URL('./checkpoint-worker.js', import.meta.url), { workerData: options });
    this.worker.unref(); // never keeps the process alive by itself
    this.worker.on('message', (m: { error?: string }) => (this.lastError = m.error));
    this.worker.on('error', (e) => (this.lastError = String(e)));
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
  }

  /** Asks the worker to close its connection and waits for it to exit. */
  async stop(): Promise<void> {
    this.worker.postMessage('stop');
    const timeout = setTimeout(() => void this.worker.terminate(), 5000);
    await this.exited;
    clearTimeout(timeout);
  }
}

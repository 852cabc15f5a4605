// The flash-sale load: an open-loop generator that offers `orders` at `rate` per second whatever
// the service's speed (as shoppers do), over pipelined keep-alive HTTP to 127.0.0.1. Latency is
// measured from each order's scheduled time, so a slow service cannot hide its queueing.
import type { OrderRequest } from './catalog.js';
import { PipelinedClient } from './http-pipeline.js';

export interface LoadOptions {
  url: string;
  orders: OrderRequest[];
  rate: number;
  /** Per-request deadline (the client gives up: counted as an error). */
  timeoutMs?: number;
  maxInFlight?: number;
  /** Keep-alive connections, requests pipelined on each (default 32). */
  connections?: number;
  onProgress?: (p: LoadProgress) => void;
}

export interface LoadProgress {
  offered: number;
  done: number;
  accepted: number;
  errors: number;
  inFlight: number;
  elapsedMs: number;
}

export interface LoadResult {
  startedAt: number;
  durationMs: number;
  /** Per order (index as in `orders`): HTTP status, 0 for a network error or time-out. */
  status: Int16Array;
  /** Per order: ms from scheduled send to the answer. */
  latencyMs: Float32Array;
  /** Per order: ms since start when it was answered. */
  doneAtMs: Float32Array;
  /** Per order: ms since start when it was due. */
  dueAtMs: Float32Array;
}

export function runLoad(o: LoadOptions): Promise<LoadResult> {
  const n = o.orders.length;
  const status = new Int16Array(n);
  const latencyMs = new Float32Array(n);
  const doneAtMs = new Float32Array(n);
  const dueAtMs = new Float32Array(n);
  const timeoutMs = o.timeoutMs ?? 10_000;
  const maxInFlight = o.maxInFlight ?? 20_000;
  const url = new URL(o.url);
  const client = new PipelinedClient(url.hostname, Number(url.port), o.connections ?? 32, timeoutMs);
  const t0 = performance.now();
  const startedAt = Date.now();
  let sent = 0;
  let done = 0;
  let accepted = 0;
  let errors = 0;

  return new Promise((resolve) => {
    const finish = (i: number, code: number) => {
      const now = performance.now() - t0;
      status[i] = code;
      latencyMs[i] = now - dueAtMs[i];
      doneAtMs[i] = now;
      done++;
      if (code >= 200 && code < 300) accepted++;
      else if (code === 0 || code >= 500) errors++;
      if (done === n) {
        clearInterval(progress);
        report();
        client.close();
        resolve({ startedAt, durationMs: now, status, latencyMs, doneAtMs, dueAtMs });
      }
    };
    const fire = (i: number, due: number) => {
      dueAtMs[i] = due;
      client.post('/orders', JSON.stringify(o.orders[i]), (code) => finish(i, code));
    };
    const tick = () => {
      const now = performance.now() - t0;
      const due = Math.min(n, Math.floor((now * o.rate) / 1000) + 1);
      client.batch(() => {
        while (sent < due && sent - done < maxInFlight) {
          fire(sent, (sent * 1000) / o.rate);
          sent++;
        }
      });
      if (sent < n) setTimeout(tick, 2);
    };
    const report = () => o.onProgress?.({ offered: sent, done, accepted, errors, inFlight: sent - done, elapsedMs: performance.now() - t0 });
    const progress = setInterval(report, 250);
    if (n === 0) {
      clearInterval(progress);
      client.close();
      return resolve({ startedAt, durationMs: 0, status, latencyMs, doneAtMs, dueAtMs });
    }
    tick();
  });
}

/** A one-line progress bar (redrawn in place on a terminal, a line every few seconds otherwise). */
export function progressBar(label: string, total: number, out: NodeJS.WriteStream = process.stderr): (p: LoadProgress) => void {
  let lastLine = 0;
  return (p) => {
    const width = 28;
    const filled = Math.round((p.done / Math.max(1, total)) * width);
    const rate = p.elapsedMs > 0 ? (p.offered * 1000) / p.elapsedMs : 0;
    const line = `${label.padEnd(9)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor((p.done / Math.max(1, total)) * 100)).padStart(3)}%  offered ${p.offered}/${total} (${Math.round(rate)}/s)  2xx ${p.accepted}  errors ${p.errors}  in flight ${p.inFlight}`;
    if (out.isTTY) out.write(`\r${line}\x1b[K${p.done === total ? '\n' : ''}`);
    else if (p.done === total || p.elapsedMs - lastLine >= 3000) {
      lastLine = p.elapsedMs;
      out.write(`${line}\n`);
    }
  };
}

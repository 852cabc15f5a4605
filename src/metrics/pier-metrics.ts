// Pier's metrics: per-action request, error and latency counters, and per-queue message counts
// read from the queue service at scrape time.
import type { QueueService } from '../core/queue-service.js';
import { Counter, Gauge } from './registry.js';

export class PierMetrics {
  readonly requests = new Counter('pier_requests_total', 'API requests by action.');
  readonly errors = new Counter('pier_request_errors_total', 'API requests answered with an error, by action and error code.');
  readonly seconds = new Counter('pier_request_seconds_total', 'Time spent answering API requests, by action.');
  private readonly depth = new Gauge('pier_queue_messages', 'Messages per queue and state (visible, inflight, delayed).');

  constructor(private readonly service: QueueService) {}

  observe(action: string, errorCode: string | undefined, ms: number): void {
    this.requests.inc({ action });
    this.seconds.inc({ action }, ms / 1000);
    if (errorCode) this.errors.inc({ action, code: errorCode });
  }

  async render(): Promise<string> {
    const stats = await this.service.queueStats();
    const samples = stats.flatMap(({ queue, counts }) =>
      (['visible', 'inflight', 'delayed'] as const).map((state) => ({
        labels: { queue: queue.name, account: queue.accountId, region: queue.region, state },
        value: counts[state],
      })),
    );
    return [this.requests.render(), this.errors.render(), this.seconds.render(), this.depth.render(samples)].join('\n\n') + '\n';
  }
}

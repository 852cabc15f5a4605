// The on-call alarm on the dead-letter queue: polls its depth and, when messages land there, raises
// an alert three ways — a log line, a Prometheus metric (served on 127.0.0.1 at /metrics), and a
// JSON POST to a webhook if one is configured.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface Alert {
  at: number;
  queue: string;
  depth: number;
  /** Webhook answer status, or the error text. */
  webhook?: string;
}

export interface DlqAlarmOptions {
  sqs: SQSClient;
  queueUrl: string;
  webhook?: string;
  intervalMs?: number;
  log?: (line: string) => void;
}

export class DlqAlarm {
  readonly alerts: Alert[] = [];
  depth = 0;
  private alerted = 0;
  private timer?: NodeJS.Timeout;
  private server?: Server;
  private polling?: Promise<void>;

  constructor(private readonly o: DlqAlarmOptions) {}

  /** Starts polling and the metrics endpoint; resolves to the metrics URL. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      if (req.url !== '/metrics') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(this.metricsText());
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.timer = setInterval(() => void (this.polling ??= this.poll().finally(() => (this.polling = undefined))), this.o.intervalMs ?? 500);
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/metrics`;
  }

  /** One check now (also used at the end of a run so nothing is missed). */
  async poll(): Promise<void> {
    const a = await this.o.sqs
      .send(new GetQueueAttributesCommand({ QueueUrl: this.o.queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))
      .catch(() => undefined);
    if (!a) return;
    this.depth = Number(a.Attributes?.ApproximateNumberOfMessages ?? 0);
    if (this.depth === 0) this.alerted = 0; // emptied (redriven): the next arrival alerts again
    if (this.depth > this.alerted) await this.raise(this.depth);
  }

  private async raise(depth: number): Promise<void> {
    const queue = this.o.queueUrl.split('/').pop()!;
    const alert: Alert = { at: Date.now(), queue, depth };
    // On the first message, then each time the depth doubles: not on every poll.
    if (depth < 2 * this.alerted) return;
    this.alerted = depth;
    this.alerts.push(alert);
    (this.o.log ?? console.log)(`ALERT dead-letter queue ${queue} holds ${depth} message(s): poison orders need a fix, then a redrive`);
    if (!this.o.webhook) return;
    try {
      const res = await fetch(this.o.webhook, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ alarm: 'inventory-dlq-not-empty', queue, depth, at: new Date(alert.at).toISOString() }),
        signal: AbortSignal.timeout(5000),
      });
      alert.webhook = String(res.status);
    } catch (e) {
      alert.webhook = (e as Error).message;
    }
  }

  metricsText(): string {
    return [
      '# HELP inventory_dlq_messages Messages in the inventory dead-letter queue.',
      '# TYPE inventory_dlq_messages gauge',
      `inventory_dlq_messages ${this.depth}`,
      '# HELP inventory_dlq_alerts_total Alerts raised for the inventory dead-letter queue.',
      '# TYPE inventory_dlq_alerts_total counter',
      `inventory_dlq_alerts_total ${this.alerts.length}`,
      '',
    ].join('\n');
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

// HTTP/S deliveries from the durable outbox. Publish only writes outbox rows (committed with its
// sends) and wakes this loop, so a slow or dead endpoint never slows Publish. Each claim leases
// its rows (a crash makes them due again: at-least-once across restarts), at most `perSubscription`
// requests run per subscription and `maxInFlight` overall, so one slow endpoint cannot hold the
// slots of the others. Failures retry on the delivery policy's schedule; when it is exhausted, or on
// a client error (4xx other than 429), the message goes to the RedrivePolicy DLQ through
// QueueService, else it is dropped. Retry timers run on the injected scheduler.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { QueueService } from '../core/queue-service.js';
import type { Scheduler, TimerHandle } from '../core/ports.js';
import type { DeliveryRecord, SnsStore } from '../core/sns-store.js';
import { retryDelayMs, subscriptionDelivery } from './delivery-policy.js';
import type { SnsLog } from './deps.js';
import { confirmationJson, notificationJson, stringToSignConfirmation, stringToSignNotification, unsubscribeUrl, type ConfirmationFields, type NotificationFields } from './envelope.js';
import type { Signer } from './signing.js';
import { queueTarget } from './topic-cache.js';

/** What an outbox row's body holds (JSON). */
export interface OutboxPayload {
  topicArn: string;
  baseUrl: string;
  version: string;
  raw?: boolean;
  fields?: NotificationFields;
  confirmation?: ConfirmationFields;
}

export interface DelivererOptions {
  store: SnsStore;
  scheduler: Scheduler;
  signer: Signer;
  queues: QueueService;
  log: SnsLog;
  timeoutMs?: number;
  maxInFlight?: number;
  perSubscription?: number;
}


export class HttpDeliverer {
  private inFlight = 0;
  private bySubscription = new Map<string, number>();
  private timer: { atMs: number; handle: TimerHandle } | undefined;
  private pumping = false;
  private again = false;
  private stopped = false;
  private idle: (() => void)[] = [];
  private readonly timeoutMs: number;
  private readonly maxInFlight: number;
  private readonly perSubscription: number;

  constructor(private readonly o: DelivererOptions) {
    this.timeoutMs = o.timeoutMs ?? 15_000;
    this.maxInFlight = o.maxInFlight ?? 64;
    this.perSubscription = o.perSubscription ?? 4;
  }

  /** New rows are committed (or a slot freed): look for due work. */
  wake(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    this.pump()
      .catch((e) => this.o.log.error({ err: e }, 'sns: outbox pump failed'))
      .finally(() => {
        this.pumping = false;
        this.settle();
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Resolves when no delivery is in flight (tests, shutdown). */
  whenIdle(): Promise<void> {
    return this.inFlight === 0 && !this.pumping ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.handle.cancel();
    await this.whenIdle();
  }

  private async pump(): Promise<void> {
    const nowMs = this.o.scheduler.now();
    const free = this.maxInFlight - this.inFlight;
    if (free > 0) {
      const busy = [...this.bySubscription].filter(([, n]) => n >= this.perSubscription).map(([arn]) => arn);
      // The lease outlasts one attempt (its timeout) by a margin: after a crash the row is due again.
      const rows = await this.o.store.claimDeliveries(nowMs, this.timeoutMs + 5_000, free, busy);
      for (const row of rows) {
        if (this.count(row.subscriptionArn) >= this.perSubscription) {
          await this.o.store.retryDelivery(row.id, row.attempts, nowMs); // over the cap: due again at once
          continue;
        }
        this.start(row);
      }
    }
    const next = await this.o.store.nextDeliveryAtMs();
    if (next !== undefined && next > nowMs) this.armAt(next);
    this.settle();
  }

  private armAt(atMs: number): void {
    if (this.timer && this.timer.atMs <= atMs) return;
    this.timer?.handle.cancel();
    this.timer = {
      atMs,
      handle: this.o.scheduler.at(atMs, () => {
        this.timer = undefined;
        this.wake();
      }),
    };
  }

  private count(arn: string): number {
    return this.bySubscription.get(arn) ?? 0;
  }

  private start(row: DeliveryRecord): void {
    this.inFlight += 1;
    this.bySubscription.set(row.subscriptionArn, this.count(row.subscriptionArn) + 1);
    this.attempt(row)
      .catch((e) => this.o.log.error({ err: e, delivery: row.id }, 'sns: delivery bookkeeping failed'))
      .finally(() => {
        this.inFlight -= 1;
        const n = this.count(row.subscriptionArn) - 1;
        if (n > 0) this.bySubscription.set(row.subscriptionArn, n);
        else this.bySubscription.delete(row.subscriptionArn);
        this.wake(); // first: a pump in progress keeps whenIdle() waiting until it has armed its timer
        this.settle();
      });
  }

  private settle(): void {
    if (this.inFlight === 0 && !this.pumping) for (const resolve of this.idle.splice(0)) resolve();
  }

  private async attempt(row: DeliveryRecord): Promise<void> {
    const payload = JSON.parse(row.body) as OutboxPayload;
    const sub = await this.o.store.getSubscription(row.subscriptionArn);
    // A notification for a subscription that is gone is dropped; confirmations outlive theirs.
    if (row.kind === 'Notification' && !sub) return this.o.store.finishDelivery(row.id);
    const topic = await this.o.store.getTopic(payload.topicArn);
    const policy = subscriptionDelivery(topic?.attributes.DeliveryPolicy, sub?.attributes.DeliveryPolicy);
    const { body, headers } = await this.render(row, payload, policy.contentType);
    const status = await this.post(row.endpoint, body, headers);
    if (status !== undefined && status >= 200 && status < 300) return this.o.store.finishDelivery(row.id);
    const clientError = status !== undefined && status >= 400 && status < 500 && status !== 429;
    const delay = clientError || row.kind !== 'Notification' ? undefined : retryDelayMs(policy.retry, row.attempts + 1);
    if (delay !== undefined) return this.o.store.retryDelivery(row.id, row.attempts + 1, this.o.scheduler.now() + delay);
    await this.deadLetter(row, sub?.attributes.RedrivePolicy, body);
    await this.o.store.finishDelivery(row.id);
  }

  private async render(row: DeliveryRecord, p: OutboxPayload, contentType: string): Promise<{ body: string; headers: Record<string, string> }> {
    const signer = this.o.signer;
    const headers: Record<string, string> = {
      'content-type': contentType,
      'user-agent': 'Amazon Simple Notification Service Agent',
      'x-amz-sns-message-type': row.kind,
      'x-amz-sns-topic-arn': p.topicArn,
    };
    if (p.confirmation) {
      const sig = { version: p.version, signature: await signer.signAsync(stringToSignConfirmation(p.confirmation), p.version), certUrl: signer.certificateUrl(p.baseUrl) };
      headers['x-amz-sns-message-id'] = p.confirmation.messageId;
      if (row.kind === 'UnsubscribeConfirmation') headers['x-amz-sns-subscription-arn'] = row.subscriptionArn;
      // Confirmations always go as text/plain, whatever the delivery policy says (AWS-recorded).
      headers['content-type'] = 'text/plain; charset=UTF-8';
      return { body: confirmationJson(p.confirmation, sig), headers };
    }
    const f = p.fields!;
    headers['x-amz-sns-message-id'] = f.messageId;
    headers['x-amz-sns-subscription-arn'] = row.subscriptionArn;
    if (p.raw) {
      headers['x-amz-sns-rawdelivery'] = 'true';
      return { body: f.message, headers };
    }
    const sig =
      f.sequenceNumber === undefined ? { version: p.version, signature: await signer.signAsync(stringToSignNotification(f), p.version), certUrl: signer.certificateUrl(p.baseUrl) } : undefined;
    return { body: notificationJson(f, sig, unsubscribeUrl(p.baseUrl, row.subscriptionArn)), headers };
  }

  /** The HTTP status, or undefined when the endpoint could not be reached in time. */
  private post(endpoint: string, body: string, headers: Record<string, string>): Promise<number | undefined> {
    return new Promise((resolve) => {
      let url: URL;
      try {
        url = new URL(endpoint);
      } catch {
        return resolve(undefined);
      }
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, timeout: this.timeoutMs }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
        res.on('error', () => resolve(undefined));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve(undefined));
      req.end(body);
    });
  }

  private async deadLetter(row: DeliveryRecord, redrivePolicy: string | undefined, body: string): Promise<void> {
    let dlq;
    try {
      dlq = redrivePolicy ? queueTarget((JSON.parse(redrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn) : undefined;
    } catch {
      dlq = undefined;
    }
    if (!dlq) {
      this.o.log.warn({ subscription: row.subscriptionArn, endpoint: row.endpoint }, 'sns: HTTP delivery failed for good and the subscription has no DLQ; dropped');
      return;
    }
    const base = 'http://sns.pier.internal';
    try {
      await this.o.queues.actions.SendMessage(
        { accountId: dlq.accountId, region: dlq.region, baseUrl: base, senderId: dlq.accountId },
        { QueueUrl: `${base}/${dlq.accountId}/${dlq.name}`, MessageBody: body },
      );
    } catch (e) {
      this.o.log.error({ err: e, subscription: row.subscriptionArn }, 'sns: the DLQ refused a failed HTTP delivery; dropped');
    }
  }
}

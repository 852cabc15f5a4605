// Groups concurrent sends into SendMessageBatch calls of up to 10 (a partial batch waits at most
// `lingerMs`), so the order service makes one round trip per ten orders under load. Each
// caller learns its own entry's fate: the 202 is only sent once Pier has stored the message.
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';

interface Pending {
  entry: SendMessageBatchRequestEntry;
  resolve: () => void;
  reject: (e: Error) => void;
}

export class SendBatcher {
  private queue: Pending[] = [];
  private scheduled = false;
  inFlight = 0;
  calls = 0;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    /** How long a partial batch waits for company. */
    private readonly lingerMs = 5,
  ) {}

  send(entry: Omit<SendMessageBatchRequestEntry, 'Id'>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry: { ...entry, Id: '' }, resolve, reject });
      if (this.queue.length >= 10) this.flush(10);
      if (!this.scheduled) {
        this.scheduled = true;
        setTimeout(() => {
          this.scheduled = false;
          this.flush(1);
        }, this.lingerMs);
      }
    });
  }

  /** Sends batches of ten while at least `min` entries wait. */
  private flush(min: number): void {
    while (this.queue.length >= min) {
      const batch = this.queue.splice(0, 10);
      batch.forEach((p, i) => (p.entry.Id = String(i)));
      this.calls++;
      this.inFlight++;
      this.sqs
        .send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: batch.map((p) => p.entry) }))
        .then(
          (out) => {
            const failed = new Map((out.Failed ?? []).map((f) => [f.Id, f]));
            batch.forEach((p, i) => {
              const f = failed.get(String(i));
              if (f) p.reject(new Error(`${f.Code}: ${f.Message}`));
              else p.resolve();
            });
          },
          (e: Error) => batch.forEach((p) => p.reject(e)),
        )
        .finally(() => this.inFlight--);
    }
  }
}

// FIFO topic bookkeeping: 5-minute deduplication by MessageDeduplicationId (or the SHA-256 of the
// message with ContentBasedDeduplication; AWS-recorded dedup ids are exactly that hash) and
// per-topic sequence numbers that only grow. A claim is decided synchronously after its reads, so
// two publishes of one dedup id in flight at once cannot both deliver; the dedup row is written
// by the caller together with the publish's sends, i.e. in the same transaction.
import type { SnsStore } from '../core/sns-store.js';

export const DEDUP_WINDOW_MS = 5 * 60_000;
const BASE = 10n ** 19n; // 20-digit sequence numbers, like AWS's

export type Claim =
  | { duplicate: true; messageId: string; sequenceNumber: string }
  /** `commit` issues the dedup row's write; the caller runs it in the turn it issues its sends. */
  | { duplicate: false; sequenceNumber: string; commit: () => Promise<void> };

export class FifoSequencer {
  private last = new Map<string, bigint>();
  private inFlight = new Map<string, { messageId: string; sequenceNumber: string }>();

  constructor(private readonly store: SnsStore) {}

  async claim(topicArn: string, dedupId: string, messageId: string, nowMs: number): Promise<Claim> {
    const key = `${topicArn}\u0000${dedupId}`;
    const stored = await this.store.findFifoPublish(topicArn, dedupId, nowMs);
    if (!this.last.has(topicArn)) {
      const last = await this.store.lastSequenceNumber(topicArn);
      if (!this.last.has(topicArn)) this.last.set(topicArn, last < BASE ? BASE : last);
    }
    // From here on synchronous: decide, reserve, issue the write.
    const prior = this.inFlight.get(key) ?? stored;
    if (prior) return { duplicate: true, messageId: prior.messageId, sequenceNumber: prior.sequenceNumber };
    const next = this.last.get(topicArn)! + 1n;
    this.last.set(topicArn, next);
    const sequenceNumber = next.toString();
    this.inFlight.set(key, { messageId, sequenceNumber });
    const commit = () =>
      this.store.recordFifoPublish({ topicArn, dedupId, messageId, sequenceNumber, expiresMs: nowMs + DEDUP_WINDOW_MS }, nowMs).finally(() => this.inFlight.delete(key));
    return { duplicate: false, sequenceNumber, commit };
  }

  forget(topicArn: string): void {
    this.last.delete(topicArn);
  }
}

// What every SNS action shares, injected by TopicService: the store port, the injected clock, id
// sources, the topic cache, the SQS service deliveries go through, the signer and the outbox.
import type { QueueService } from '../core/queue-service.js';
import type { Clock } from '../core/ports.js';
import type { SnsStore } from '../core/sns-store.js';
import type { Signer } from './signing.js';
import type { TopicCache } from './topic-cache.js';

export interface SnsLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SnsDeps {
  store: SnsStore;
  clock: Clock;
  uuid(): string;
  /** Unguessable confirmation tokens. */
  token(): string;
  cache: TopicCache;
  queues: QueueService;
  signer: Signer;
  /** Tells the HTTP deliverer new outbox rows are committed. */
  wakeDeliverer(): void;
  log: SnsLog;
}

/** Confirmation tokens stay valid for two days (SNS API reference, ConfirmSubscription). */
export const TOKEN_TTL_MS = 2 * 24 * 3600 * 1000;

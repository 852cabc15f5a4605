// Shared builders for the store contract: a fixed epoch, queue and message factories, and a
// wrapper that opens a fresh store per case and always closes and cleans it up.
import type { MessageRef, NewMessage, QueueRecord, StoredMessage } from '../../src/core/model.js';
import type { ReceiveRequest, Store } from '../../src/core/store.js';

export interface OpenedStore {
  store: Store;
  cleanup(): Promise<void>;
}
export type OpenStore = () => Promise<OpenedStore>;

/** Manual clock origin; cases add explicit offsets to it and never sleep. */
export const T0 = 1_700_000_000_000;
export const RETENTION_MS = 345_600_000;

export function withStore(open: OpenStore, fn: (store: Store) => Promise<void>): () => Promise<void> {
  return async () => {
    const { store, cleanup } = await open();
    try {
      await fn(store);
    } finally {
      await store.close();
      await cleanup();
    }
  };
}

export function queueInput(name: string, over: Partial<Omit<QueueRecord, 'id'>> = {}): Omit<QueueRecord, 'id'> {
  return {
    accountId: '000000000000',
    region: 'us-east-1',
    name,
    fifo: false,
    attributes: { VisibilityTimeout: '30' },
    tags: {},
    createdMs: T0,
    lastModifiedMs: T0,
    lastPurgeMs: 0,
    ...over,
  };
}

export async function newQueue(store: Store, name = 'q', over: Partial<Omit<QueueRecord, 'id'>> = {}): Promise<QueueRecord> {
  return (await store.createQueue(queueInput(name, over))).queue;
}

let counter = 0;
export function msg(over: Partial<NewMessage> = {}): NewMessage {
  counter++;
  return {
    messageId: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    body: `body ${counter}`,
    md5OfBody: 'd41d8cd98f00b204e9800998ecf8427e',
    attributes: {},
    systemAttributes: {},
    senderId: 'AIDAEXAMPLE',
    sentMs: T0,
    visibleAtMs: T0,
    ...over,
  };
}

export function receive(store: Store, queueId: number, nowMs: number, over: Partial<ReceiveRequest> = {}): Promise<StoredMessage[]> {
  return store.receiveMessages(queueId, { nowMs, max: 10, visibilityMs: 30_000, retentionMs: RETENTION_MS, ...over });
}

export const ref = (m: StoredMessage): MessageRef => ({ seq: m.seq, receiveCount: m.receiveCount });
export const bodies = (ms: StoredMessage[]): string[] => ms.map((m) => m.body);

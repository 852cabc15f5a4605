// Issues the writes of publishes. Publishes that arrive in the same event-loop iteration are
// written together at its check phase: their sends to one queue become SendMessageBatch calls
// (≤ 10 entries, ≤ 1 MiB, publish order kept, which FIFO queues need), and each publish's other
// writes (outbox rows, FIFO dedup row) are issued in that same turn, so everything a publish
// wrote commits in one group-commit transaction. A publish waits only for its own writes.
import type { RequestContext, SendEntry } from '../core/api.js';
import { SqsError } from '../core/errors.js';
import type { SnsDeps } from './deps.js';
import type { CachedSubscription, QueueTarget } from './topic-cache.js';

/** Queue URLs handed to QueueService: only the account and name in the path matter. */
const INTERNAL_BASE = 'http://sns.pier.internal';
const BATCH_ENTRIES = 10;
const BATCH_BYTES = 1_048_576;

export interface Send {
  sub: CachedSubscription;
  queue: QueueTarget;
  entry: SendEntry;
}

export interface Failure extends Send {
  error: string;
}

interface Job {
  senderId: string;
  sends: Send[];
  writes: (() => Promise<unknown>)[];
  resolve: (failures: Failure[]) => void;
  reject: (e: unknown) => void;
}

export class PublishWriter {
  private jobs: Job[] = [];

  constructor(private readonly deps: SnsDeps) {}

  /** Resolves with the sends the queues refused, once every write of this publish is committed. */
  submit(senderId: string, sends: Send[], writes: (() => Promise<unknown>)[]): Promise<Failure[]> {
    if (sends.length === 0 && writes.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      if (this.jobs.push({ senderId, sends, writes, resolve, reject }) === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const jobs = this.jobs;
    this.jobs = [];
    const owner = new Map<Send, Job>();
    const byQueue = new Map<string, Send[]>();
    for (const job of jobs) {
      for (const s of job.sends) {
        owner.set(s, job);
        const key = `${s.queue.region}\u0000${s.queue.accountId}\u0000${s.queue.name}\u0000${job.senderId}`;
        const list = byQueue.get(key) ?? [];
        list.push(s);
        byQueue.set(key, list);
      }
    }
    const pending = new Map<Job, Promise<unknown>[]>(jobs.map((j) => [j, []]));
    const failures = new Map<Job, Failure[]>(jobs.map((j) => [j, []]));
    for (const list of byQueue.values()) {
      for (const chunk of chunks(list)) {
        const sent = sendChunk(this.deps, owner.get(chunk[0]!)!.senderId, chunk).then((failed) => {
          for (const f of failed) failures.get(owner.get(chunk.find((s) => s.entry === f.entry)!)!)!.push(f);
        });
        for (const job of new Set(chunk.map((s) => owner.get(s)!))) pending.get(job)!.push(sent);
      }
    }
    for (const job of jobs) for (const write of job.writes) pending.get(job)!.push(write());
    for (const job of jobs) {
      Promise.all(pending.get(job)!).then(
        () => job.resolve(failures.get(job)!),
        (e) => job.reject(e),
      );
    }
  }
}

function size(e: SendEntry): number {
  let n = Buffer.byteLength(e.MessageBody ?? '');
  for (const [name, a] of Object.entries(e.MessageAttributes ?? {})) {
    n += Buffer.byteLength(name) + Buffer.byteLength(a.DataType) + Buffer.byteLength(a.StringValue ?? a.BinaryValue ?? '');
  }
  return n;
}

/** Consecutive runs of at most 10 entries and 1 MiB (SendMessageBatch's limits). */
function chunks(list: Send[]): Send[][] {
  const out: Send[][] = [];
  let current: Send[] = [];
  let bytes = 0;
  for (const s of list) {
    const n = size(s.entry);
    if (current.length === BATCH_ENTRIES || (current.length > 0 && bytes + n > BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(s);
    bytes += n;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** One SendMessage (or SendMessageBatch) to one queue; returns what the queue refused. */
async function sendChunk(deps: SnsDeps, senderId: string, group: Send[]): Promise<Failure[]> {
  const q = group[0]!.queue;
  const ctx: RequestContext = { accountId: q.accountId, region: q.region, baseUrl: INTERNAL_BASE, senderId };
  const QueueUrl = `${INTERNAL_BASE}/${q.accountId}/${q.name}`;
  try {
    if (group.length === 1) {
      await deps.queues.actions.SendMessage(ctx, { QueueUrl, ...group[0]!.entry });
      return [];
    }
    const out = await deps.queues.actions.SendMessageBatch(ctx, { QueueUrl, Entries: group.map((s, i) => ({ ...s.entry, Id: String(i) })) });
    return (out.Failed ?? []).map((f) => ({ ...group[Number(f.Id)]!, error: `${f.Code}: ${f.Message}` }));
  } catch (e) {
    // Only the queue's own refusals are delivery failures; anything else (storage) fails the publish.
    if (!(e instanceof SqsError)) throw e;
    return group.map((s) => ({ ...s, error: `${e.code}: ${e.message}` }));
  }
}

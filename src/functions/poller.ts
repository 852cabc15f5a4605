// One event source mapping at work: `lanes` concurrent loops (ScalingConfig.MaximumConcurrency,
// or 5 — the number of batches Lambda starts an SQS mapping with, Lambda DG "services-sqs-scaling"),
// each gathering a batch with long polls on the in-process QueueService, invoking the function and
// settling the batch: success deletes it, failure or timeout leaves it to reappear after the
// visibility timeout (and reach the DLQ after maxReceiveCount), a partial batch response deletes
// exactly the others. Time (batching window, timeout, back-off) goes through the injected scheduler.
import type { ReceivedMessage, RequestContext } from '../core/api.js';
import type { Scheduler } from '../core/ports.js';
import type { QueueService } from '../core/queue-service.js';
import { blockGroupsAfterFailure, readBatchResponse } from './batch-response.js';
import { matchesAny, parsePatterns } from './event-filter.js';
import type { FunctionMetrics } from './metrics.js';
import type { Permits } from './permits.js';
import { recordBytes, toRecord } from './sqs-event.js';
import type { FunctionLog, FunctionSpec, InvokeOutcome, Invoker, MappingSpec, SqsRecord } from './types.js';

export const DEFAULT_CONCURRENCY = 5;
/** Lambda's synchronous invocation payload limit: a batch is cut before it would pass this. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
const BACKOFF_MS = 1000;

export interface PollerDeps {
  service: QueueService;
  scheduler: Scheduler;
  uuid: () => string;
  log: FunctionLog;
  metrics: FunctionMetrics;
  /** WaitTimeSeconds of an idle long poll (default 20, the maximum). */
  pollWaitSeconds?: number;
}

/** A mapping bound to a live queue. */
export interface ResolvedMapping extends MappingSpec {
  uuid: string;
  queueUrl: string;
  fifo: boolean;
  ctx: RequestContext;
}

interface Lane {
  carry: ReceivedMessage[];
  /** A receive still running when the batching window closed; its messages open the next batch. */
  pending?: Promise<ReceivedMessage[]>;
}

export class MappingPoller {
  private running = false;
  private readonly inflight = new Set<AbortController>();
  private readonly settling = new Set<Promise<void>>();
  private readonly patterns;

  constructor(
    private readonly deps: PollerDeps,
    readonly mapping: ResolvedMapping,
    readonly fn: FunctionSpec,
    private readonly invoker: Invoker,
    private readonly permits: Permits,
  ) {
    this.patterns = parsePatterns(mapping.filterPatterns ?? []);
  }

  get state(): 'Enabled' | 'Disabled' {
    return this.running ? 'Enabled' : 'Disabled';
  }

  get lanes(): number {
    return this.mapping.maximumConcurrency ?? DEFAULT_CONCURRENCY;
  }

  start(): void {
    if (this.running || !this.mapping.enabled) return;
    this.running = true;
    for (let i = 0; i < this.lanes; i++) {
      void this.lane().catch((e) => this.deps.log.error({ err: e, function: this.fn.name }, 'event source mapping lane failed'));
    }
  }

  /**
   * Stops polling and waits for running invocations; after `graceMs` they are aborted (their
   * messages reappear after the visibility timeout). Long polls still waiting are not awaited:
   * what they return later is made visible again at once.
   */
  async stop(graceMs = 5000): Promise<void> {
    this.running = false;
    if (this.settling.size === 0) return;
    const timer = this.deps.scheduler.at(this.deps.scheduler.now() + graceMs, () => {
      for (const ac of this.inflight) ac.abort();
    });
    while (this.settling.size > 0) await Promise.allSettled([...this.settling]);
    timer.cancel();
  }

  private async lane(): Promise<void> {
    const lane: Lane = { carry: [] };
    while (this.running) {
      let batch: ReceivedMessage[];
      try {
        batch = await this.gather(lane);
      } catch (e) {
        // The queue was deleted or the store is closing: back off, then look again.
        this.deps.log.warn({ err: e, function: this.fn.name, queue: this.mapping.queueArn }, 'event source mapping receive failed');
        await this.sleep(BACKOFF_MS);
        continue;
      }
      if (!this.running) {
        await this.release([...batch, ...lane.carry]);
        if (lane.pending) void lane.pending.then((late) => this.release(late), () => undefined);
        return;
      }
      if (batch.length === 0) continue;
      const work = this.invokeAndSettle(batch);
      this.settling.add(work);
      await work.finally(() => this.settling.delete(work));
    }
  }

  /** Up to batchSize messages: cut when full, when the batching window closes, or before 6 MB. */
  private async gather(lane: Lane): Promise<ReceivedMessage[]> {
    const m = this.mapping;
    const batch: ReceivedMessage[] = [];
    let bytes = 0;
    let full = false;
    const add = (got: ReceivedMessage[]) => {
      for (const msg of got) {
        const size = recordBytes(msg);
        if (full || batch.length >= m.batchSize || (batch.length > 0 && bytes + size > MAX_PAYLOAD_BYTES)) {
          full = true;
          lane.carry.push(msg);
        } else {
          batch.push(msg);
          bytes += size;
        }
      }
    };
    add(lane.carry.splice(0));
    if (lane.pending) {
      const p = lane.pending;
      lane.pending = undefined;
      add(await p);
    }
    const windowMs = m.maximumBatchingWindowSeconds * 1000;
    let deadline = batch.length > 0 ? this.deps.scheduler.now() + windowMs : undefined;
    while (this.running && !full && batch.length < m.batchSize) {
      const want = Math.min(10, m.batchSize - batch.length);
      if (deadline === undefined) {
        add(await this.receive(want, this.deps.pollWaitSeconds ?? 20));
        if (batch.length > 0) deadline = this.deps.scheduler.now() + windowMs;
        continue;
      }
      const remainingMs = deadline - this.deps.scheduler.now();
      if (remainingMs <= 0) break;
      const receive = this.receive(want, Math.min(20, Math.ceil(remainingMs / 1000)));
      let timer: { cancel(): void } | undefined;
      const closed = new Promise<undefined>((resolve) => (timer = this.deps.scheduler.at(deadline!, () => resolve(undefined))));
      const got = await Promise.race([receive, closed]);
      timer!.cancel();
      if (got === undefined) {
        lane.pending = receive;
        break;
      }
      add(got);
    }
    return batch;
  }

  private async receive(max: number, waitSeconds: number): Promise<ReceivedMessage[]> {
    const out = await this.deps.service.actions.ReceiveMessage(this.mapping.ctx, {
      QueueUrl: this.mapping.queueUrl,
      MaxNumberOfMessages: max,
      WaitTimeSeconds: waitSeconds,
      AttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    });
    return out.Messages ?? [];
  }

  private async invokeAndSettle(batch: ReceivedMessage[]): Promise<void> {
    const { fn, mapping, deps } = this;
    const counters = deps.metrics.of(fn.name);
    const records = batch.map((msg) => toRecord(msg, mapping.queueArn));
    const handleOf = new Map(batch.map((msg) => [msg.MessageId, msg.ReceiptHandle]));
    const deliver = this.patterns.length ? records.filter((r) => matchesAny(r, this.patterns)) : records;
    if (deliver.length < records.length) {
      // Lambda deletes SQS messages that match no filter.
      const filtered = records.filter((r) => !deliver.includes(r));
      counters.messagesFiltered += filtered.length;
      await this.deleteMessages(filtered.map((r) => r.messageId), handleOf);
    }
    if (deliver.length === 0) return;

    if (!this.permits.tryAcquire()) {
      counters.throttles++;
      deps.log.warn({ function: fn.name, queue: mapping.queueArn, records: deliver.length }, 'function throttled: at its reserved concurrency');
      await this.permits.acquire();
    }
    const requestId = deps.uuid();
    const started = deps.scheduler.now();
    const deadlineMs = started + fn.timeoutSeconds * 1000;
    const ac = new AbortController();
    this.inflight.add(ac);
    counters.invocations++;
    counters.concurrent++;
    let timer: { cancel(): void } | undefined;
    const timedOut = new Promise<InvokeOutcome>((resolve) => {
      timer = deps.scheduler.at(deadlineMs, () => {
        // Settle first, so this outcome (Lambda's message) wins the race over the aborted invoker's.
        resolve({ ok: false, kind: 'timeout', errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds` });
        ac.abort();
      });
    });
    let outcome: InvokeOutcome;
    try {
      outcome = await Promise.race([this.invoker.invoke({ requestId, event: { Records: deliver }, deadlineMs }, ac.signal), timedOut]);
    } catch (e) {
      outcome = { ok: false, kind: 'error', errorType: 'Pier.InvokeError', errorMessage: (e as Error).message };
    } finally {
      timer!.cancel();
      this.inflight.delete(ac);
      this.permits.release();
      counters.concurrent--;
    }
    const durationMs = deps.scheduler.now() - started;
    counters.durationMsTotal += durationMs;

    const keep = this.failedIds(outcome, deliver, requestId);
    const done = deliver.filter((r) => !keep.has(r.messageId)).map((r) => r.messageId);
    // The delete commits while the lane gathers its next batch (a durable delete costs an fsync).
    const deleting = this.deleteMessages(done, handleOf).then(() => void (counters.messagesDeleted += done.length));
    this.settling.add(deleting);
    void deleting.finally(() => this.settling.delete(deleting));
    counters.messagesRetried += keep.size;
    const log = { function: fn.name, requestId, queue: mapping.queueArn, records: deliver.length, deleted: done.length, retried: keep.size, durationMs };
    if (outcome.ok) deps.log.info({ ...log, outcome: keep.size ? 'partial' : 'success' }, 'invocation');
    else {
      if (outcome.kind === 'timeout') counters.timeouts++;
      else if (outcome.kind === 'crash') counters.crashes++;
      else counters.errors++;
      deps.log.warn({ ...log, outcome: outcome.kind, errorType: outcome.errorType, errorMessage: outcome.errorMessage }, 'invocation failed');
    }
  }

  /** messageIds to leave on the queue for a retry. */
  private failedIds(outcome: InvokeOutcome, records: SqsRecord[], requestId: string): Set<string> {
    const all = new Set(records.map((r) => r.messageId));
    if (!outcome.ok) return all;
    if (!this.mapping.reportBatchItemFailures) return new Set(); // the response is ignored
    const verdict = readBatchResponse(outcome.payload, all);
    if (verdict.kind === 'success') return new Set();
    if (verdict.kind === 'failure') {
      this.deps.log.warn({ function: this.fn.name, requestId, reason: verdict.reason }, 'partial batch response rejected: the whole batch fails');
      return all;
    }
    if (!this.mapping.fifo) return verdict.failedIds;
    return blockGroupsAfterFailure(records.map((r) => ({ messageId: r.messageId, groupId: r.attributes.MessageGroupId })), verdict.failedIds);
  }

  private async deleteMessages(ids: string[], handleOf: Map<string, string>): Promise<void> {
    for (let i = 0; i < ids.length; i += 10) {
      const Entries = ids.slice(i, i + 10).map((id, n) => ({ Id: String(n), ReceiptHandle: handleOf.get(id)! }));
      try {
        const out = await this.deps.service.actions.DeleteMessageBatch(this.mapping.ctx, { QueueUrl: this.mapping.queueUrl, Entries });
        if (out.Failed?.length) this.deps.log.warn({ function: this.fn.name, failed: out.Failed }, 'delete after invocation failed for some messages');
      } catch (e) {
        this.deps.log.warn({ err: e, function: this.fn.name }, 'delete after invocation failed');
      }
    }
  }

  /** Makes messages taken but never invoked visible again (on stop). */
  private async release(msgs: ReceivedMessage[]): Promise<void> {
    for (let i = 0; i < msgs.length; i += 10) {
      const Entries = msgs.slice(i, i + 10).map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
      await this.deps.service.actions.ChangeMessageVisibilityBatch(this.mapping.ctx, { QueueUrl: this.mapping.queueUrl, Entries }).catch(() => undefined);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.deps.scheduler.at(this.deps.scheduler.now() + ms, resolve));
  }
}

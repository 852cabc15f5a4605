// Message move tasks (spec §6.9): StartMessageMoveTask / CancelMessageMoveTask /
// ListMessageMoveTasks, and the runner that moves a dead-letter queue's messages in batches on
// the node's scheduler, at most MaxNumberOfMessagesPerSecond. Task state is persisted after every
// batch, and the batch itself moves atomically, so a restart resumes without loss or duplicates.
import type { Api, RequestContext } from '../api.js';
import { type Deps, intParam, required } from '../deps.js';
import { err, SqsError } from '../errors.js';
import type { Move } from '../store.js';
import type { MoveTaskRecord, QueueRecord } from '../model.js';
import type { TimerHandle } from '../ports.js';
import { base64UrlToUtf8, utf8ToBase64Url } from '../rules/base64.js';
import { parseQueueArn } from '../rules/queue-name.js';
import { parseRedrivePolicy } from '../rules/redrive.js';

type In<A extends keyof Api> = Api[A]['in'];
type Out<A extends keyof Api> = Api[A]['out'];

/** Unbounded tasks move this many per batch, back to back. */
const BATCH_MAX = 100;
const NON_EXISTENT = 'AWS.SimpleQueueService.NonExistentQueue';

const notFound = (param: string) => err('ResourceNotFoundException', `The resource that you specified for the ${param} parameter doesn't exist.`);
const handleOf = (t: MoveTaskRecord) => utf8ToBase64Url(JSON.stringify({ taskId: t.taskId, sourceArn: t.sourceArn }));

export class MoveTasks {
  private readonly timers = new Map<string, TimerHandle>();
  /** Per task, the tail of its ticks and cancels: they run one after another, never interleaved. */
  private readonly serials = new Map<string, Promise<unknown>>();
  private stopped = false;

  constructor(private readonly deps: Deps) {}

  private async queueByArn(arn: string | undefined): Promise<QueueRecord | undefined> {
    const key = arn === undefined ? undefined : parseQueueArn(arn);
    return key && this.deps.store.getQueue(key);
  }

  async start(_ctx: RequestContext, input: In<'StartMessageMoveTask'>): Promise<Out<'StartMessageMoveTask'>> {
    const sourceArn = required('SourceArn', input.SourceArn);
    const source = await this.queueByArn(sourceArn);
    if (!source) throw notFound('SourceArn');
    const sources = await this.deps.store.listQueues(source.accountId, source.region);
    const isDlq = sources.some((q) => q.attributes.RedrivePolicy && parseRedrivePolicy(q.attributes.RedrivePolicy).deadLetterTargetArn === sourceArn);
    if (!isDlq) throw err('InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.');
    let destination: QueueRecord | undefined;
    if (input.DestinationArn !== undefined) {
      destination = await this.queueByArn(input.DestinationArn);
      if (!destination) throw notFound('DestinationArn');
      if (destination.fifo !== source.fifo) throw err('InvalidParameterValue', 'The source queue and destination queue must be of the same queue type.');
    }
    const rate = intParam('MaxNumberOfMessagesPerSecond', input.MaxNumberOfMessagesPerSecond, 1, 500, 'Must be between 1 and 500.');
    const existing = await this.deps.store.listMoveTasks(sourceArn);
    if (existing.some((t) => t.status === 'RUNNING' || t.status === 'CANCELLING')) {
      throw err('InvalidParameterValue', 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
    }
    const now = this.deps.scheduler.now();
    const counts = await this.deps.store.counts(source.id, now);
    const task: MoveTaskRecord = {
      taskId: this.deps.crypto.uuid(),
      sourceArn,
      destinationArn: input.DestinationArn,
      maxPerSecond: rate,
      status: 'RUNNING',
      moved: 0,
      toMove: counts.visible,
      startedMs: now,
    };
    await this.deps.store.saveMoveTask(task);
    this.schedule(task, now);
    return { TaskHandle: handleOf(task) };
  }

  async cancel(_ctx: RequestContext, input: In<'CancelMessageMoveTask'>): Promise<Out<'CancelMessageMoveTask'>> {
    const text = required('TaskHandle', input.TaskHandle);
    let parsed: { taskId?: unknown; sourceArn?: unknown };
    try {
      // Our handles are base64url; accept the standard, padded spelling of the same JSON too.
      parsed = JSON.parse(base64UrlToUtf8(text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')) ?? '');
    } catch {
      parsed = {};
    }
    if (typeof parsed.taskId !== 'string' || typeof parsed.sourceArn !== 'string') {
      throw err('InvalidParameterValue', 'Value for parameter TaskHandle is invalid.');
    }
    if (!(await this.queueByArn(parsed.sourceArn))) throw notFound('SourceArn');
    const { taskId, sourceArn } = parsed as { taskId: string; sourceArn: string };
    // After any batch under way: it saves its progress first, so the cancel reads fresh state.
    return this.serial(taskId, () => this.cancelTask(taskId, sourceArn));
  }

  private async cancelTask(taskId: string, sourceArn: string): Promise<Out<'CancelMessageMoveTask'>> {
    const task = (await this.deps.store.listMoveTasks(sourceArn)).find((t) => t.taskId === taskId);
    if (!task || task.status !== 'RUNNING') throw err('ResourceNotFoundException', 'Task does not exist.');
    task.status = 'CANCELLING';
    await this.deps.store.saveMoveTask(task);
    // The running batch (if any) finishes; the next tick sees CANCELLING and settles it.
    this.schedule(task, this.deps.scheduler.now());
    return { ApproximateNumberOfMessagesMoved: task.moved };
  }

  async list(_ctx: RequestContext, input: In<'ListMessageMoveTasks'>): Promise<Out<'ListMessageMoveTasks'>> {
    const sourceArn = required('SourceArn', input.SourceArn);
    if (!(await this.queueByArn(sourceArn))) throw notFound('SourceArn');
    const max = intParam('MaxResults', input.MaxResults, 1, 10, 'Must be between 1 and 10.') ?? 1;
    const tasks = (await this.deps.store.listMoveTasks(sourceArn)).slice(0, max);
    return {
      Results: tasks.map((t) => ({
        TaskHandle: t.status === 'RUNNING' ? handleOf(t) : undefined,
        Status: t.status,
        SourceArn: t.sourceArn,
        DestinationArn: t.destinationArn,
        MaxNumberOfMessagesPerSecond: t.maxPerSecond,
        ApproximateNumberOfMessagesMoved: t.moved,
        ApproximateNumberOfMessagesToMove: t.toMove,
        FailureReason: t.failureReason,
        StartedTimestamp: t.startedMs,
      })),
    };
  }

  /** After a restart: running tasks go on; a cancel that was under way completes. */
  async resume(): Promise<void> {
    const now = this.deps.scheduler.now();
    for (const t of await this.deps.store.listMoveTasks()) {
      if (t.status === 'RUNNING' || t.status === 'CANCELLING') this.schedule(t, now);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  private schedule(task: MoveTaskRecord, atMs: number): void {
    if (this.stopped) return;
    this.timers.get(task.taskId)?.cancel();
    this.timers.set(
      task.taskId,
      this.deps.scheduler.at(atMs, () => {
        this.timers.delete(task.taskId);
        this.serial(task.taskId, () => this.tick(task.taskId, task.sourceArn)).catch(() => undefined);
      }),
    );
  }

  private serial<T>(taskId: string, fn: () => Promise<T>): Promise<T> {
    const next = (this.serials.get(taskId) ?? Promise.resolve()).then(fn, fn);
    const tail = next.catch(() => undefined);
    this.serials.set(taskId, tail);
    void tail.then(() => this.serials.get(taskId) === tail && this.serials.delete(taskId));
    return next;
  }

  /** Moves one batch, persists progress, and schedules the next batch or settles the task. */
  private async tick(taskId: string, sourceArn: string): Promise<void> {
    const task = (await this.deps.store.listMoveTasks(sourceArn)).find((t) => t.taskId === taskId);
    if (!task || (task.status !== 'RUNNING' && task.status !== 'CANCELLING')) return;
    const settle = async (status: MoveTaskRecord['status'], failureReason?: string) => {
      task.status = status;
      if (failureReason) task.failureReason = failureReason;
      await this.deps.store.saveMoveTask(task);
    };
    if (task.status === 'CANCELLING') return settle('CANCELLED');
    const source = await this.queueByArn(sourceArn);
    if (!source) return settle('FAILED', NON_EXISTENT);
    const batch = Math.min(BATCH_MAX, task.maxPerSecond ?? BATCH_MAX, Math.max(task.toMove - task.moved, 0));
    const now = this.deps.scheduler.now();
    const messages = batch > 0 ? await this.deps.store.peekMessages(source.id, now, batch) : [];
    if (messages.length === 0) return settle('COMPLETED');

    const destinations = new Map<string, QueueRecord | undefined>();
    const moves: Move[] = [];
    for (const m of messages) {
      const arn = task.destinationArn ?? m.deadLetterSourceArn;
      if (arn === undefined) return settle('FAILED', NON_EXISTENT);
      if (!destinations.has(arn)) destinations.set(arn, await this.queueByArn(arn));
      const dest = destinations.get(arn);
      if (!dest) return settle('FAILED', NON_EXISTENT);
      // A moved message is a new message: new id, enqueue time and receive count (spec §6.9).
      moves.push({
        seq: m.seq,
        toQueueId: dest.id,
        message: {
          messageId: this.deps.crypto.uuid(),
          body: m.body,
          md5OfBody: m.md5OfBody,
          attributes: m.attributes,
          systemAttributes: m.systemAttributes,
          senderId: m.senderId,
          sentMs: now,
          visibleAtMs: now,
          groupId: m.groupId,
          dedupId: m.dedupId,
        },
      });
    }
    try {
      // The batch and the progress that counts it commit together.
      task.moved += await this.deps.store.moveMessages(source.id, moves, task);
    } catch (e) {
      if (e instanceof SqsError && e.code === 'QueueDoesNotExist') return settle('FAILED', NON_EXISTENT);
      throw e;
    }
    for (const d of destinations.values()) if (d) this.deps.waiters.notify(d.id, moves.length);
    if (task.moved >= task.toMove) return settle('COMPLETED');
    this.schedule(task, now + (task.maxPerSecond ? Math.ceil((1000 * moves.length) / task.maxPerSecond) : 0));
  }
}


// QueueService: one method per SQS action (validate → Store → typed result). The protocol
// layer's action table calls these; nothing here knows JSON, XML or HTTP.
import * as queues from './actions/queues.js';
import * as send from './actions/send.js';
import { receiveMessage } from './actions/receive.js';
import * as dv from './actions/delete-visibility.js';
import * as tags from './actions/tags.js';
import * as perms from './actions/permissions.js';
import { MoveTasks } from './actions/move-tasks.js';
import type { Api, ActionName, RequestContext } from './api.js';
import { arnOf, type Deps, resolveQueue, secondsAttr } from './deps.js';
import { Waiters } from './long-poll.js';
import type { QueueCounts, QueueRecord, StoredMessage } from './model.js';
import type { Crypto, Scheduler } from './ports.js';
import type { Store } from './store.js';

export type Handler<A extends ActionName> = (ctx: RequestContext, input: Api[A]['in']) => Promise<Api[A]['out']>;

export class QueueService {
  private readonly deps: Deps;
  private readonly moveTasks: MoveTasks;

  constructor(store: Store, scheduler: Scheduler, crypto: Crypto) {
    this.deps = { store, scheduler, crypto, waiters: new Waiters(scheduler), attempts: new Map() };
    this.moveTasks = new MoveTasks(this.deps);
  }

  /** Resumes work persisted by a previous run (message move tasks). */
  async start(): Promise<void> {
    await this.moveTasks.resume();
  }

  /** The handler of every action, by its AWS name. */
  readonly actions: { [A in ActionName]: Handler<A> } = {
    CreateQueue: (c, i) => queues.createQueue(this.deps, c, i),
    DeleteQueue: (c, i) => queues.deleteQueue(this.deps, c, i),
    GetQueueUrl: (c, i) => queues.getQueueUrl(this.deps, c, i),
    ListQueues: (c, i) => queues.listQueues(this.deps, c, i),
    GetQueueAttributes: (c, i) => queues.getQueueAttributes(this.deps, c, i),
    SetQueueAttributes: (c, i) => queues.setQueueAttributes(this.deps, c, i),
    PurgeQueue: (c, i) => queues.purgeQueue(this.deps, c, i),
    ListDeadLetterSourceQueues: (c, i) => queues.listDeadLetterSourceQueues(this.deps, c, i),
    SendMessage: (c, i) => send.sendMessage(this.deps, c, i),
    SendMessageBatch: (c, i) => send.sendMessageBatch(this.deps, c, i),
    ReceiveMessage: (c, i) => receiveMessage(this.deps, c, i),
    DeleteMessage: (c, i) => dv.deleteMessage(this.deps, c, i),
    DeleteMessageBatch: (c, i) => dv.deleteMessageBatch(this.deps, c, i),
    ChangeMessageVisibility: (c, i) => dv.changeMessageVisibility(this.deps, c, i),
    ChangeMessageVisibilityBatch: (c, i) => dv.changeMessageVisibilityBatch(this.deps, c, i),
    TagQueue: (c, i) => tags.tagQueue(this.deps, c, i),
    UntagQueue: (c, i) => tags.untagQueue(this.deps, c, i),
    ListQueueTags: (c, i) => tags.listQueueTags(this.deps, c, i),
    AddPermission: (c, i) => perms.addPermission(this.deps, c, i),
    RemovePermission: (c, i) => perms.removePermission(this.deps, c, i),
    StartMessageMoveTask: (c, i) => this.moveTasks.start(c, i),
    CancelMessageMoveTask: (c, i) => this.moveTasks.cancel(c, i),
    ListMessageMoveTasks: (c, i) => this.moveTasks.list(c, i),
  };

  /** Deletes messages past their queue's retention period; the server calls this periodically. */
  async expireMessages(): Promise<number> {
    const now = this.deps.scheduler.now();
    let removed = 0;
    for (const q of await this.deps.store.allQueues()) {
      removed += await this.deps.store.expireMessages(q.id, now - secondsAttr(q, 'MessageRetentionPeriod') * 1000, now);
    }
    return removed;
  }

  /** Every queue with its counts, for metrics and operators. */
  async queueStats(): Promise<{ queue: QueueRecord; arn: string; counts: QueueCounts }[]> {
    const now = this.deps.scheduler.now();
    const out = [];
    for (const queue of await this.deps.store.allQueues()) {
      out.push({ queue, arn: arnOf(queue), counts: await this.deps.store.counts(queue.id, now) });
    }
    return out;
  }

  /** Visible messages in receive order, without receiving them (operators' peek). */
  async peekMessages(ctx: RequestContext, queueUrl: string, max: number): Promise<StoredMessage[]> {
    const q = await resolveQueue(this.deps, ctx, queueUrl);
    return this.deps.store.peekMessages(q.id, this.deps.scheduler.now(), max);
  }

  /** Answers every waiting long poll with no messages and pauses move tasks (graceful shutdown). */
  stopPolling(): void {
    this.deps.waiters.close();
    this.moveTasks.stop();
  }
}

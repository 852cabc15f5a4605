// TopicService: one method per SNS action, behind the SnsService interface protocol/sns
// dispatches to. It owns the topic cache, the FIFO sequencer, the signer and the HTTP deliverer;
// deliveries to queues go through QueueService (core's public API), never the storage.
import { randomBytes, randomUUID } from 'node:crypto';
import type { RequestContext } from '../core/api.js';
import type { Scheduler } from '../core/ports.js';
import type { QueueService } from '../core/queue-service.js';
import type { SnsActionName, SnsApi, SnsHandler, SnsService } from '../core/sns-api.js';
import type { SnsStore } from '../core/sns-store.js';
import { checkTopicArn, parseArn, topicMissing } from './arns.js';
import type { SnsDeps, SnsLog } from './deps.js';
import { FifoSequencer } from './fifo-sequencer.js';
import { fanOut } from './fanout.js';
import { PublishWriter } from './publish-writer.js';
import { HttpDeliverer } from './http-delivery.js';
import { prepareBatch, preparePublish } from './publish.js';
import { Signer } from './signing.js';
import * as subs from './subscriptions.js';
import { TopicCache } from './topic-cache.js';
import * as topics from './topics.js';
import { invalidParameter } from '../core/sns-errors.js';

export interface TopicServiceOptions {
  store: SnsStore;
  scheduler: Scheduler;
  queues: QueueService;
  log: SnsLog;
  /** HTTP/S delivery limits (see http-delivery.ts). */
  http?: { timeoutMs?: number; maxInFlight?: number; perSubscription?: number };
}

export class TopicService implements SnsService {
  private readonly deps: SnsDeps;
  private readonly fifo: FifoSequencer;
  private readonly writer: PublishWriter;
  readonly deliverer: HttpDeliverer;

  private constructor(o: TopicServiceOptions, signer: Signer) {
    const cache = new TopicCache(o.store, o.scheduler);
    this.deliverer = new HttpDeliverer({ store: o.store, scheduler: o.scheduler, signer, queues: o.queues, log: o.log, ...o.http });
    this.deps = {
      store: o.store,
      clock: o.scheduler,
      uuid: () => randomUUID(),
      token: () => randomBytes(64).toString('hex'),
      cache,
      queues: o.queues,
      signer,
      wakeDeliverer: () => this.deliverer.wake(),
      log: o.log,
    };
    this.fifo = new FifoSequencer(o.store);
    this.writer = new PublishWriter(this.deps);
  }

  /** Loads (or creates) the signing key, then starts delivering what the outbox holds. */
  static async open(o: TopicServiceOptions): Promise<TopicService> {
    const service = new TopicService(o, await Signer.load(o.store, o.scheduler.now()));
    service.deliverer.wake();
    return service;
  }

  get signer(): Signer {
    return this.deps.signer;
  }

  readonly actions: { [A in SnsActionName]: SnsHandler<A> } = {
    CreateTopic: (c, i) => topics.createTopic(this.deps, c, i),
    DeleteTopic: (c, i) => topics.deleteTopic(this.deps, c, i).then((r) => (this.fifo.forget(i.TopicArn ?? ''), r)),
    ListTopics: (c, i) => topics.listTopics(this.deps, c, i),
    GetTopicAttributes: (c, i) => topics.getTopicAttributes(this.deps, c, i),
    SetTopicAttributes: (c, i) => topics.setTopicAttributes(this.deps, c, i),
    TagResource: (c, i) => topics.tagResource(this.deps, c, i),
    UntagResource: (c, i) => topics.untagResource(this.deps, c, i),
    ListTagsForResource: (c, i) => topics.listTagsForResource(this.deps, c, i),
    Subscribe: (c, i) => subs.subscribe(this.deps, c, i),
    ConfirmSubscription: (c, i) => subs.confirmSubscription(this.deps, c, i),
    Unsubscribe: (c, i) => subs.unsubscribe(this.deps, c, i),
    ListSubscriptions: (c, i) => subs.listSubscriptions(this.deps, c, i),
    ListSubscriptionsByTopic: (c, i) => subs.listSubscriptionsByTopic(this.deps, c, i),
    GetSubscriptionAttributes: (c, i) => subs.getSubscriptionAttributes(this.deps, c, i),
    SetSubscriptionAttributes: (c, i) => subs.setSubscriptionAttributes(this.deps, c, i),
    Publish: (c, i) => this.publish(c, i),
    PublishBatch: (c, i) => this.publishBatch(c, i),
  };

  async signingCertificate(path: string): Promise<string | undefined> {
    return path === this.deps.signer.certificatePath ? this.deps.signer.certificatePem : undefined;
  }

  /** Stops HTTP deliveries, waiting for those in flight. */
  async stop(): Promise<void> {
    await this.deliverer.stop();
    await this.deps.signer.close();
  }

  private async topicFor(ctx: RequestContext, input: { TopicArn?: string; TargetArn?: string; PhoneNumber?: string }) {
    if (input.PhoneNumber !== undefined && input.TopicArn === undefined && input.TargetArn === undefined) {
      throw invalidParameter('PhoneNumber Reason: SMS is not supported by this server');
    }
    let arn = input.TopicArn;
    if (arn === undefined && input.TargetArn !== undefined) {
      // A TargetArn may name a topic; platform endpoints do not exist here (AWS-recorded text).
      const p = parseArn('TargetArn', input.TargetArn);
      if (p.resource.startsWith('endpoint/')) throw invalidParameter('TargetArn Reason: No endpoint found for the target arn specified');
      arn = input.TargetArn;
    }
    const cached = await this.deps.cache.get(checkTopicArn(ctx, arn));
    if (!cached) throw topicMissing();
    return cached;
  }

  private async publish(ctx: RequestContext, input: SnsApi['Publish']['in']): Promise<SnsApi['Publish']['out']> {
    const cached = await this.topicFor(ctx, input);
    const prepared = preparePublish(cached.topic, input, 'messageAttributes');
    const [out] = await fanOut(this.deps, this.writer, this.fifo, ctx, cached, [prepared]);
    return out!;
  }

  private async publishBatch(ctx: RequestContext, input: SnsApi['PublishBatch']['in']): Promise<SnsApi['PublishBatch']['out']> {
    const cached = await this.topicFor(ctx, input);
    const prepared = prepareBatch(cached.topic, input.PublishBatchRequestEntries);
    const outcomes = await fanOut(this.deps, this.writer, this.fifo, ctx, cached, prepared);
    return { Successful: outcomes.map((o, i) => ({ Id: prepared[i]!.id!, ...o })), Failed: [] };
  }
}

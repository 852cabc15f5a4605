// Fixtures for the SNS unit tests: a TopicService and a QueueService on the memory engines, both on
// one ManualClock, with a signing key made once per process (RSA generation is slow), and helpers
// to assert the typed SNS errors.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { SnsErrorName } from '../../src/core/sns-errors.js';
import { SnsError } from '../../src/core/sns-errors.js';
import { MemorySnsStore } from '../../src/storage/memory/sns-store.js';
import type { SigningKey } from '../../src/core/sns-store.js';
import { TopicService } from '../../src/sns/topic-service.js';
import { selfSignedCertificate } from '../../src/sns/x509.js';
import { ctx, harness, T0, type Harness } from './helpers.js';

let key: SigningKey | undefined;
function signingKey(): SigningKey {
  if (!key) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    key = { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, certificatePem: selfSignedCertificate(privateKey, publicKey, 'test', T0, 30) };
  }
  return key;
}

export interface SnsHarness extends Harness {
  sns: TopicService;
  snsStore: MemorySnsStore;
  n: TopicService['actions'];
  warnings: string[];
}

export async function snsHarness(): Promise<SnsHarness> {
  const h = harness();
  const snsStore = new MemorySnsStore();
  await snsStore.putSigningKey(signingKey());
  const warnings: string[] = [];
  const log = { warn: (_: object, msg: string) => void warnings.push(msg), error: (_: object, msg: string) => void warnings.push(msg) };
  const sns = await TopicService.open({ store: snsStore, scheduler: h.clock, queues: h.service, log });
  return { ...h, sns, snsStore, n: sns.actions, warnings };
}

export const topicArn = (name: string) => `arn:aws:sns:${ctx.region}:${ctx.accountId}:${name}`;
export const queueArn = (name: string) => `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${name}`;

/** Creates a topic and a queue subscribed to it; returns their ids. */
export async function topicWithQueue(h: SnsHarness, topic = 't1', queue = 'q1', attributes?: Record<string, string>) {
  const TopicArn = (await h.n.CreateTopic(ctx, { Name: topic, Attributes: topic.endsWith('.fifo') ? { FifoTopic: 'true' } : undefined })).TopicArn;
  const QueueUrl = (await h.a.CreateQueue(ctx, { QueueName: queue, Attributes: queue.endsWith('.fifo') ? { FifoQueue: 'true' } : undefined })).QueueUrl;
  const { SubscriptionArn } = await h.n.Subscribe(ctx, { TopicArn, Protocol: 'sqs', Endpoint: queueArn(queue), Attributes: attributes });
  return { TopicArn, QueueUrl, SubscriptionArn };
}

export async function snsRejects(p: Promise<unknown>, code: SnsErrorName, message?: string | RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof SnsError, `expected SnsError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, `error code (message: ${e.message})`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

/** Everything visible in a queue right now (all attributes). */
export async function drain(h: Harness, QueueUrl: string) {
  return (await h.a.ReceiveMessage(ctx, { QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] })).Messages ?? [];
}

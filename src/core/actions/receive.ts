// ReceiveMessage: parameter ranges, long polling (wakes on send, on visibility expiry, on
// shutdown), dead-letter redrive inside the store's receive, attribute filters and MD5s.
import type { Api, ReceivedMessage, RequestContext } from '../api.js';
import { arnOf, type Deps, intParam, resolveQueue, secondsAttr } from '../deps.js';
import { limits } from '../limits.js';
import type { MessageAttributes, QueueRecord, StoredMessage } from '../model.js';
import { md5OfAttributes } from '../rules/md5.js';
import { parseQueueArn } from '../rules/queue-name.js';
import { dedupWindowMs } from '../rules/fifo.js';
import { validateFifoId } from '../rules/message.js';
import { encodeReceiptHandle } from '../rules/receipt-handle.js';
import { parseRedrivePolicy } from '../rules/redrive.js';
import type { ReceiveRequest } from '../store.js';
import { setOwn } from '../rules/own.js';

type In<A extends keyof Api> = Api[A]['in'];
type Out<A extends keyof Api> = Api[A]['out'];

export async function receiveMessage(deps: Deps, ctx: RequestContext, input: In<'ReceiveMessage'>): Promise<Out<'ReceiveMessage'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl);
  const max = intParam('MaxNumberOfMessages', input.MaxNumberOfMessages, 1, limits.receiveMax, 'Must be between 1 and 10, if provided.') ?? 1;
  const visibility = intParam('VisibilityTimeout', input.VisibilityTimeout, 0, limits.visibilitySecondsMax, `Must be >= 0 and <= ${limits.visibilitySecondsMax}, if provided.`);
  const wait = intParam('WaitTimeSeconds', input.WaitTimeSeconds, 0, limits.waitSecondsMax, 'Must be >= 0 and <= 20, if provided.') ?? secondsAttr(q, 'ReceiveMessageWaitTimeSeconds');
  const request: Omit<ReceiveRequest, 'nowMs'> = {
    max,
    visibilityMs: (visibility ?? secondsAttr(q, 'VisibilityTimeout')) * 1000,
    retentionMs: secondsAttr(q, 'MessageRetentionPeriod') * 1000,
    redrive: await redriveTarget(deps, q),
    fifo: q.fifo,
  };
  const attemptKey = q.fifo && input.ReceiveRequestAttemptId !== undefined
    ? `${q.id}:${validateFifoId('ReceiveRequestAttemptId', input.ReceiveRequestAttemptId)}`
    : undefined;
  if (attemptKey) {
    const replay = await replayAttempt(deps, q, attemptKey, request.visibilityMs);
    if (replay) return { Messages: replay };
  }
  const deadline = deps.scheduler.now() + wait * 1000;
  for (;;) {
    const now = deps.scheduler.now();
    if (ctx.signal?.aborted) return {};
    const got = await deps.store.receiveMessages(q.id, { ...request, nowMs: now });
    if (got.length > 0 && attemptKey) {
      const messages = got.map((m) => render(deps, q, m, input));
      remember(deps, attemptKey, got, messages, now);
      return { Messages: messages };
    }
    // This receive may have moved messages to the DLQ: let one of its long polls look.
    if (request.redrive && deps.waiters.waiting(request.redrive.dlqId) > 0) deps.waiters.notify(request.redrive.dlqId, 1);
    if (got.length > 0) return { Messages: got.map((m) => render(deps, q, m, input)) };
    if (now >= deadline || deps.waiters.isClosed) return {};
    // FIFO: a visible message in a locked group gives no wake-up time; look again each second.
    const next = q.fifo ? fifoRecheckAt(await deps.store.nextVisibleAtMs(q.id), now) : await deps.store.nextVisibleAtMs(q.id);
    await deps.waiters.wait(q.id, next !== undefined && next > now ? Math.min(next, deadline) : deadline, max, ctx.signal);
    // A queue deleted under a long poll ends the poll with no messages.
    if (!(await deps.store.getQueueById(q.id))) return {};
  }
}

const fifoRecheckAt = (next: number | undefined, now: number) => (next !== undefined && next <= now ? now + 1_000 : next);

/**
 * FIFO ReceiveRequestAttemptId: a retry within 5 minutes gets the same messages and receipt
 * handles, with their visibility timeout restarted, as long as none was deleted or received again.
 */
async function replayAttempt(deps: Deps, q: QueueRecord, key: string, visibilityMs: number): Promise<ReceivedMessage[] | undefined> {
  const seen = deps.attempts.get(key);
  if (!seen || seen.untilMs <= deps.scheduler.now()) return undefined;
  deps.attempts.delete(key);
  const outcomes = await deps.store.changeVisibility(q.id, seen.refs.map((ref) => ({ ref, visibilityMs })), deps.scheduler.now(), Infinity);
  if (outcomes.some((o) => o !== 'changed')) return undefined;
  deps.attempts.set(key, seen);
  return seen.messages;
}

function remember(deps: Deps, key: string, got: StoredMessage[], messages: ReceivedMessage[], now: number): void {
  if (deps.attempts.size > 10_000) for (const [k, v] of deps.attempts) if (v.untilMs <= now) deps.attempts.delete(k);
  deps.attempts.set(key, { untilMs: now + dedupWindowMs, refs: got.map((m) => ({ seq: m.seq, receiveCount: m.receiveCount })), messages });
}

async function redriveTarget(deps: Deps, q: QueueRecord): Promise<ReceiveRequest['redrive']> {
  const text = q.attributes.RedrivePolicy;
  if (!text) return undefined;
  const policy = parseRedrivePolicy(text);
  const key = parseQueueArn(policy.deadLetterTargetArn);
  const dlq = key && (await deps.store.getQueue(key));
  return dlq ? { dlqId: dlq.id, maxReceiveCount: policy.maxReceiveCount, sourceArn: arnOf(q) } : undefined;
}

function render(deps: Deps, q: QueueRecord, m: StoredMessage, input: In<'ReceiveMessage'>): ReceivedMessage {
  const attributes = systemAttributes(m, [...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])]);
  const userAttributes = filterAttributes(m.attributes, input.MessageAttributeNames ?? []);
  const handle = encodeReceiptHandle({ queueId: q.id, seq: m.seq, receiveCount: m.receiveCount }, deps.crypto.randomToken());
  return {
    MessageId: m.messageId,
    ReceiptHandle: handle,
    MD5OfBody: m.md5OfBody,
    Body: m.body,
    Attributes: attributes,
    MD5OfMessageAttributes: userAttributes && md5OfAttributes(deps.crypto, userAttributes),
    MessageAttributes: userAttributes,
  };
}

/** System attributes a receive asked for (the union of both request lists; "All" = every one). */
function systemAttributes(m: StoredMessage, names: string[]): Record<string, string> | undefined {
  if (names.length === 0) return undefined;
  const all: Record<string, string | undefined> = {
    SenderId: m.senderId,
    SentTimestamp: String(m.sentMs),
    ApproximateReceiveCount: String(m.receiveCount),
    ApproximateFirstReceiveTimestamp: String(m.firstReceiveMs ?? m.sentMs),
    SequenceNumber: m.sequenceNumber,
    MessageDeduplicationId: m.dedupId,
    MessageGroupId: m.groupId,
    AWSTraceHeader: m.systemAttributes.AWSTraceHeader?.StringValue,
    DeadLetterQueueSourceArn: m.deadLetterSourceArn,
  };
  const everything = names.includes('All');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) if (v !== undefined && (everything || names.includes(k))) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

/** MessageAttributeNames: All, * or .* = every one; "p.*" = names starting with p; else exact. */
function filterAttributes(attrs: MessageAttributes, names: string[]): MessageAttributes | undefined {
  if (names.length === 0) return undefined;
  const everything = names.some((n) => n === 'All' || n === '*' || n === '.*');
  const prefixes = names.filter((n) => n.endsWith('.*')).map((n) => n.slice(0, -2));
  const out: MessageAttributes = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (everything || names.includes(k) || prefixes.some((p) => k.startsWith(p))) setOwn(out, k, v);
  }
  return Object.keys(out).length ? out : undefined;
}

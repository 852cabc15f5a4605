// DeleteMessage(Batch) and ChangeMessageVisibility(Batch), with the stale-handle rules of a
// standard queue (spec §6.1): deletes with an old or spent handle succeed; a visibility change on
// a gone message fails; total invisibility is capped at 12 hours from the receive.
import type { Api, BatchResultErrorEntry, RequestContext } from '../api.js';
import { type Deps, intParam, required, resolveQueue } from '../deps.js';
import { err, invalidValue } from '../errors.js';
import { limits } from '../limits.js';
import type { MessageRef, QueueRecord } from '../model.js';
import { validateBatch } from '../rules/batch.js';
import { decodeReceiptHandle } from '../rules/receipt-handle.js';
import type { VisibilityOutcome } from '../store.js';
import { entryFailure } from './send.js';

type In<A extends keyof Api> = Api[A]['in'];
type Out<A extends keyof Api> = Api[A]['out'];

function refOf(q: QueueRecord, handle: string | undefined): MessageRef {
  const h = decodeReceiptHandle(required('ReceiptHandle', handle));
  if (h.queueId !== q.id) throw err('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
  return { seq: h.seq, receiveCount: h.receiveCount };
}

export async function deleteMessage(deps: Deps, ctx: RequestContext, input: In<'DeleteMessage'>): Promise<Out<'DeleteMessage'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl);
  const [outcome] = await deps.store.deleteMessages(q.id, [refOf(q, input.ReceiptHandle)], expiredAt(deps, q));
  if (outcome === 'expired') throw handleExpired(input.ReceiptHandle!);
  if (outcome === 'deleted') releasedGroups(deps, q, 1);
  return {};
}

export async function deleteMessageBatch(deps: Deps, ctx: RequestContext, input: In<'DeleteMessageBatch'>): Promise<Out<'DeleteMessageBatch'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl);
  const entries = input.Entries ?? [];
  validateBatch(entries, 'DeleteMessageBatchRequestEntry');
  const failed: BatchResultErrorEntry[] = [];
  const good: { id: string; ref: MessageRef }[] = [];
  for (const e of entries) {
    try {
      good.push({ id: e.Id!, ref: refOf(q, e.ReceiptHandle) });
    } catch (error) {
      failed.push(entryFailure(e.Id!, error));
    }
  }
  const outcomes = good.length ? await deps.store.deleteMessages(q.id, good.map((g) => g.ref), expiredAt(deps, q)) : [];
  releasedGroups(deps, q, outcomes.filter((o) => o === 'deleted').length);
  const successful: { Id: string }[] = [];
  good.forEach((g, i) => {
    if (outcomes[i] === 'expired') failed.push(entryFailure(g.id, handleExpired(entries.find((e) => e.Id === g.id)!.ReceiptHandle!)));
    else successful.push({ Id: g.id });
  });
  return { Successful: successful, Failed: failed.length ? failed : undefined };
}

/** On a FIFO queue a delete may unlock a message group: let a waiting long poll look again. */
function releasedGroups(deps: Deps, q: QueueRecord, deleted: number): void {
  if (q.fifo && deleted > 0) deps.waiters.notify(q.id, deleted);
}

function forgetAttempts(deps: Deps, q: QueueRecord, seqs: Set<number>): void {
  for (const [key, attempt] of deps.attempts) {
    if (key.startsWith(`${q.id}:`) && attempt.refs.some((r) => seqs.has(r.seq))) deps.attempts.delete(key);
  }
}

/** FIFO queues refuse a delete whose handle's visibility timeout ran out (AWS-rec, spec §6.1). */
const expiredAt = (deps: Deps, q: QueueRecord) => (q.fifo ? deps.scheduler.now() : undefined);
const handleExpired = (handle: string) => invalidValue('ReceiptHandle', handle, 'The receipt handle has expired.');

const visibilityParam = (v: number | undefined) =>
  intParam('VisibilityTimeout', required('VisibilityTimeout', v), 0, limits.visibilitySecondsMax, `Must be >= 0 and <= ${limits.visibilitySecondsMax}, if provided.`)!;

function outcomeError(outcome: VisibilityOutcome, handle: string, seconds: number) {
  if (outcome === 'too-long') {
    return invalidValue('VisibilityTimeout', seconds, `Total VisibilityTimeout for the message is beyond the limit [${limits.visibilitySecondsMax} seconds]`);
  }
  return invalidValue('ReceiptHandle', handle, 'Message does not exist or is not available for visibility timeout change.');
}

async function change(deps: Deps, q: QueueRecord, items: { ref: MessageRef; seconds: number }[]): Promise<VisibilityOutcome[]> {
  const outcomes = await deps.store.changeVisibility(
    q.id,
    items.map((i) => ({ ref: i.ref, visibilityMs: i.seconds * 1000 })),
    deps.scheduler.now(),
    limits.visibilitySecondsMax * 1000,
  );
  // A visibility change ends ReceiveRequestAttemptId replays of these messages (spec §6.7).
  if (q.fifo) forgetAttempts(deps, q, new Set(items.map((i) => i.ref.seq)));
  // A message made visible again (timeout 0) may be what a long poll is waiting for.
  const released = items.filter((i, n) => i.seconds === 0 && outcomes[n] === 'changed').length;
  if (released) deps.waiters.notify(q.id, released);
  return outcomes;
}

export async function changeMessageVisibility(deps: Deps, ctx: RequestContext, input: In<'ChangeMessageVisibility'>): Promise<Out<'ChangeMessageVisibility'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl);
  const ref = refOf(q, input.ReceiptHandle);
  const seconds = visibilityParam(input.VisibilityTimeout);
  const [outcome] = await change(deps, q, [{ ref, seconds }]);
  if (outcome !== 'changed') throw outcomeError(outcome, input.ReceiptHandle!, seconds);
  return {};
}

export async function changeMessageVisibilityBatch(deps: Deps, ctx: RequestContext, input: In<'ChangeMessageVisibilityBatch'>): Promise<Out<'ChangeMessageVisibilityBatch'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl);
  const entries = input.Entries ?? [];
  validateBatch(entries, 'ChangeMessageVisibilityBatchRequestEntry');
  const failed: BatchResultErrorEntry[] = [];
  const good: { id: string; handle: string; ref: MessageRef; seconds: number }[] = [];
  for (const e of entries) {
    try {
      good.push({ id: e.Id!, handle: e.ReceiptHandle!, ref: refOf(q, e.ReceiptHandle), seconds: visibilityParam(e.VisibilityTimeout) });
    } catch (error) {
      failed.push(entryFailure(e.Id!, error));
    }
  }
  const outcomes = good.length ? await change(deps, q, good) : [];
  const successful: { Id: string }[] = [];
  good.forEach((g, i) => {
    if (outcomes[i] === 'changed') successful.push({ Id: g.id });
    else failed.push(entryFailure(g.id, outcomeError(outcomes[i], g.handle, g.seconds)));
  });
  return { Successful: successful, Failed: failed.length ? failed : undefined };
}

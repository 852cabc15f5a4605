// SendMessage / SendMessageBatch: validation, MD5s, delay, then one store append per request.
import type { Api, BatchResultErrorEntry, RequestContext, SendEntry, SendResult } from '../api.js';
import { type Deps, resolveQueue, secondsAttr } from '../deps.js';
import { err, invalidValue, missing, SqsError } from '../errors.js';
import { limits } from '../limits.js';
import type { NewMessage, QueueRecord } from '../model.js';
import { md5OfAttributes, md5OfBody } from '../rules/md5.js';
import { messageSize, validateBody, validateDelay, validateFifoId, validateMessageAttributes, validateSystemAttributes } from '../rules/message.js';
import { validateBatch } from '../rules/batch.js';
import { dedupScopeOf, dedupWindowMs } from '../rules/fifo.js';

type In<A extends keyof Api> = Api[A]['in'];
type Out<A extends keyof Api> = Api[A]['out'];

interface Prepared {
  message: NewMessage;
  result: SendResult;
}

/** Validates one entry against its queue and builds the stored message and the wire result. */
function prepare(deps: Deps, ctx: RequestContext, q: QueueRecord, entry: SendEntry, nowMs: number, batch: boolean): Prepared {
  const body = validateBody(entry.MessageBody);
  const attributes = validateMessageAttributes(entry.MessageAttributes);
  const systemAttributes = validateSystemAttributes(entry.MessageSystemAttributes);
  const fifo = q.fifo ? fifoFields(deps, q, entry, body, nowMs) : standardFields(entry);
  const max = Number(q.attributes.MaximumMessageSize ?? limits.messageMaxBytes);
  if (messageSize(body, attributes) > max) {
    const reason = `Message must be shorter than ${max} bytes.`;
    throw err('InvalidParameterValue', batch ? `One or more parameters cannot be validated. Reason: ${reason}` : `One or more parameters are invalid. Reason: ${reason}`);
  }
  const messageId = deps.crypto.uuid();
  const md5Body = md5OfBody(deps.crypto, body);
  const md5Attrs = md5OfAttributes(deps.crypto, attributes);
  const md5System = md5OfAttributes(deps.crypto, systemAttributes);
  return {
    message: {
      messageId,
      body,
      md5OfBody: md5Body,
      attributes,
      systemAttributes,
      senderId: ctx.senderId,
      sentMs: nowMs,
      visibleAtMs: nowMs + (fifo.delaySeconds ?? secondsAttr(q, 'DelaySeconds')) * 1000,
      ...fifo.fields,
    },
    result: { MessageId: messageId, MD5OfMessageBody: md5Body, MD5OfMessageAttributes: md5Attrs, MD5OfMessageSystemAttributes: md5System },
  };
}

/** Standard queues: per-message delay; a MessageGroupId (fair queues) is kept and handed back. */
function standardFields(entry: SendEntry) {
  if (entry.MessageDeduplicationId !== undefined) {
    throw invalidValue('MessageDeduplicationId', entry.MessageDeduplicationId, 'The request includes a parameter that is not valid for this queue type.');
  }
  const groupId = entry.MessageGroupId === undefined ? undefined : validateFifoId('MessageGroupId', entry.MessageGroupId);
  return { delaySeconds: validateDelay(entry.DelaySeconds), fields: { groupId } };
}

const noDedup = () =>
  err('InvalidParameterValue', 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');

/** FIFO queues: group id required, dedup id explicit or SHA-256 of the body, no per-message delay. */
function fifoFields(deps: Deps, q: QueueRecord, entry: SendEntry, body: string, nowMs: number) {
  if (entry.DelaySeconds !== undefined && entry.DelaySeconds !== 0) {
    throw invalidValue('DelaySeconds', entry.DelaySeconds, 'The request include parameter that is not valid for this queue type.');
  }
  if (entry.MessageGroupId === undefined) throw missing('MessageGroupId');
  const groupId = validateFifoId('MessageGroupId', entry.MessageGroupId);
  let dedupId: string;
  if (entry.MessageDeduplicationId !== undefined) dedupId = validateFifoId('MessageDeduplicationId', entry.MessageDeduplicationId);
  else if (q.attributes.ContentBasedDeduplication === 'true') dedupId = deps.crypto.sha256Hex(new TextEncoder().encode(body));
  else throw noDedup();
  return {
    delaySeconds: undefined,
    fields: { groupId, dedupId, dedupScope: dedupScopeOf(q.attributes, groupId), dedupUntilMs: nowMs + dedupWindowMs },
  };
}

/** Stores the messages and fills in ids the engine decided (a FIFO duplicate answers with the original's). */
async function append(deps: Deps, q: QueueRecord, prepared: Prepared[]): Promise<void> {
  if (prepared.length === 0) return;
  const outcomes = await deps.store.sendMessages(q.id, prepared.map((p) => p.message));
  outcomes.forEach((o, i) => {
    prepared[i].result.MessageId = o.messageId;
    if (o.sequenceNumber !== undefined) prepared[i].result.SequenceNumber = o.sequenceNumber;
  });
  // Wake long polls; a delayed message wakes them too so they re-arm for its due time.
  const added = outcomes.filter((o) => !o.duplicate).length;
  if (added) deps.waiters.notify(q.id, added);
}

export async function sendMessage(deps: Deps, ctx: RequestContext, input: In<'SendMessage'>): Promise<Out<'SendMessage'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl);
  const p = prepare(deps, ctx, q, input, deps.scheduler.now(), false);
  await append(deps, q, [p]);
  return p.result;
}

export async function sendMessageBatch(deps: Deps, ctx: RequestContext, input: In<'SendMessageBatch'>): Promise<Out<'SendMessageBatch'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl);
  const entries = input.Entries ?? [];
  validateBatch(entries, 'SendMessageBatchRequestEntry');
  let total = 0;
  for (const e of entries) total += messageSize(e.MessageBody ?? '', e.MessageAttributes ?? {});
  if (total > limits.messageMaxBytes) {
    throw err('BatchRequestTooLong', `Batch requests cannot be longer than ${limits.messageMaxBytes} bytes. You have sent ${total} bytes.`);
  }
  // On a FIFO queue these fail the whole batch, as AWS answers them (spec §2).
  if (q.fifo) {
    for (const e of entries) {
      if (e.MessageGroupId === undefined) throw err('InvalidParameterValue', 'The request must contain the parameter MessageGroupId.');
      if (e.MessageDeduplicationId === undefined && q.attributes.ContentBasedDeduplication !== 'true') throw noDedup();
    }
  }
  const now = deps.scheduler.now();
  const ok: (Prepared & { id: string })[] = [];
  const failed: BatchResultErrorEntry[] = [];
  for (const e of entries) {
    try {
      ok.push({ id: e.Id!, ...prepare(deps, ctx, q, e, now, true) });
    } catch (e2) {
      failed.push(entryFailure(e.Id!, e2));
    }
  }
  await append(deps, q, ok);
  return { Successful: ok.map((p) => ({ Id: p.id, ...p.result })), Failed: failed.length ? failed : undefined };
}

/** A per-entry failure of a batch action: the error's query code, always the sender's fault. */
export function entryFailure(id: string, e: unknown): BatchResultErrorEntry {
  if (!(e instanceof SqsError)) throw e;
  return { Id: id, SenderFault: e.fault === 'Sender', Code: e.row.queryCode, Message: e.message };
}

// The inventory consumer: a Lambda-style handler Pier runs on `inventory-updates.fifo`
// (BatchSize 10, ReportBatchItemFailures). It applies a batch in one transaction (stock never
// below zero, idempotent by order id), publishes "order accepted" for what it applied, and reports
// records it cannot parse — plus the later records of their SKU group, so none overtakes them.
// Environment: INVENTORY_DB (a SQLite file or a postgres:// URL), TOPIC_ARN, QUEUE_URL, RETRY_DELAY_SECONDS.
import { ChangeMessageVisibilityBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { parsePromo, type OrderMessage } from '../src/catalog.js';
import { openInventory, type InventoryWriter } from '../src/inventory-store.js';

export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string | undefined>;
}

export interface SqsEvent {
  Records: SqsRecord[];
}

export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

// Warm state: one connection and one client of each per execution environment, as on Lambda.
let inventory: Promise<InventoryWriter> | undefined;
let sns: SNSClient | undefined;
let sqs: SQSClient | undefined;

export const handler = async (event: SqsEvent): Promise<BatchResponse> => {
  inventory ??= openInventory(process.env.INVENTORY_DB ?? 'inventory.db');
  const db = await inventory.catch((e: Error) => {
    inventory = undefined; // retry the connection on the next batch
    throw e;
  });
  const parser = await db.promoParser();
  const good: OrderMessage[] = [];
  const failed: SqsRecord[] = [];
  const blocked = new Set<string>();
  for (const r of event.Records) {
    const group = r.attributes.MessageGroupId ?? '';
    if (blocked.has(group)) {
      failed.push(r); // behind a failed record of its group: must not overtake it
      continue;
    }
    try {
      const order = JSON.parse(r.body) as OrderMessage;
      parsePromo(order.promo, parser);
      good.push(order);
    } catch (e) {
      console.error(`order in message ${r.messageId} failed: ${(e as Error).message}`);
      failed.push(r);
      blocked.add(group);
    }
  }
  const results = await Promise.resolve()
    .then(() => db.applyOrders(good))
    .catch((e: Error) => {
      inventory = undefined; // a fresh connection for the retry (the batch's transaction was rolled back)
      throw e;
    });
  // Announce every applied order of the batch, also one applied by an earlier try that failed
  // before it could announce (at-least-once: the points and SMS consumers are idempotent).
  const applied = new Set(results.filter((r) => r.status === 'applied').map((r) => r.orderId));
  await announce(good.filter((o) => applied.has(o.orderId)));
  if (failed.length) await retrySoon(failed);
  return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.messageId })) };
};

/** Publishes "order accepted", ten events a call, with the amount as a filterable attribute. */
async function announce(events: OrderMessage[]): Promise<void> {
  const topic = process.env.TOPIC_ARN;
  if (!topic || events.length === 0) return;
  sns ??= new SNSClient({});
  for (let i = 0; i < events.length; i += 10) {
    const out = await sns.send(
      new PublishBatchCommand({
        TopicArn: topic,
        PublishBatchRequestEntries: events.slice(i, i + 10).map((o, j) => ({
          Id: String(j),
          Message: JSON.stringify({ orderId: o.orderId, sku: o.sku, qty: o.qty, userId: o.userId, amount: o.amount }),
          MessageAttributes: { amount: { DataType: 'Number', StringValue: String(o.amount) } },
        })),
      }),
    );
    if (out.Failed?.length) throw new Error(`publish failed: ${out.Failed.map((f) => f.Message).join('; ')}`);
  }
}

/**
 * Failed records come back after RETRY_DELAY_SECONDS instead of the queue's whole visibility
 * timeout (a common Lambda pattern), so a poison order reaches the DLQ quickly and its SKU group
 * is not held up for minutes.
 */
async function retrySoon(records: SqsRecord[]): Promise<void> {
  const QueueUrl = process.env.QUEUE_URL;
  if (!QueueUrl) return;
  sqs ??= new SQSClient({});
  const VisibilityTimeout = Number(process.env.RETRY_DELAY_SECONDS ?? 1);
  for (let i = 0; i < records.length; i += 10) {
    const Entries = records.slice(i, i + 10).map((r, j) => ({ Id: String(j), ReceiptHandle: r.receiptHandle, VisibilityTimeout }));
    await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl, Entries })).catch((e: Error) => console.error(`could not shorten the retry delay: ${e.message}`));
  }
}

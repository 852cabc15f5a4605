// The CSV example's function: each message is a chunk of rows of a stock-count file
// (sku,warehouse,counted). It checks every row, totals the valid ones per warehouse and sends its
// partial result to the results queue, where the driver aggregates. Environment: RESULTS_URL.
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SqsEvent } from '../functions/inventory.js';

export interface Chunk {
  chunkId: number;
  /** 1-based line number of the chunk's first row in the file. */
  firstLine: number;
  rows: string[];
}

export interface ChunkResult {
  chunkId: number;
  rows: number;
  invalid: { line: number; reason: string }[];
  /** Units counted per warehouse. */
  totals: Record<string, number>;
  skus: number;
}

const SKU = /^SKU-\d{3,}$/;

export function checkChunk(c: Chunk): ChunkResult {
  const result: ChunkResult = { chunkId: c.chunkId, rows: c.rows.length, invalid: [], totals: {}, skus: 0 };
  const skus = new Set<string>();
  c.rows.forEach((row, i) => {
    const [sku, warehouse, counted, ...extra] = row.split(',').map((s) => s.trim());
    const n = Number(counted);
    const reason = extra.length ? 'too many columns' : !SKU.test(sku ?? '') ? 'bad sku' : !warehouse ? 'no warehouse' : !Number.isInteger(n) || n < 0 ? 'bad count' : '';
    if (reason) return void result.invalid.push({ line: c.firstLine + i, reason });
    result.totals[warehouse] = (result.totals[warehouse] ?? 0) + n;
    skus.add(sku);
  });
  result.skus = skus.size;
  return result;
}

let sqs: SQSClient | undefined;

export const handler = async (event: SqsEvent): Promise<void> => {
  sqs ??= new SQSClient({});
  for (const r of event.Records) {
    const result = checkChunk(JSON.parse(r.body) as Chunk);
    await sqs.send(new SendMessageCommand({ QueueUrl: process.env.RESULTS_URL, MessageBody: JSON.stringify(result) }));
  }
};

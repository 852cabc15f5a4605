// The batch-file scenario: a stock-count CSV is split into messages of `chunk` rows, a function
// checks the chunks in parallel, and this driver aggregates the partial results from a results
// queue (each chunk counted once), with a progress display, then checks the sum against a
// sequential pass over the same file.
// Usage: node csv-batch.js [--file stock.csv] [--rows 50000] [--chunk 400] [--concurrency 4] [--out DIR]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startPier } from '../../../src/index.js';
import { prng } from '../src/catalog.js';
import { EXAMPLE_DIR } from '../src/pier-setup.js';
import { checkChunk, type Chunk, type ChunkResult } from './chunk-worker.js';

export interface CsvBatchOptions {
  file?: string;
  rows: number;
  chunk: number;
  concurrency: number;
  out: string;
  log: (line: string) => void;
  progress: boolean;
}

export interface CsvSummary {
  file: string;
  chunks: number;
  rows: number;
  invalid: number;
  totals: Record<string, number>;
  /** The parallel result equals a sequential pass over the file. */
  matchesSequential: boolean;
  /** Results received for chunks already counted (at-least-once delivery), ignored. */
  duplicates: number;
  seconds: number;
}

/** A sample stock-count file with a few bad rows (about 1 in 500). */
export function writeSampleCsv(file: string, rows: number): void {
  const rnd = prng(7);
  const lines = ['sku,warehouse,counted'];
  for (let i = 0; i < rows; i++) {
    const sku = `SKU-${String(1 + Math.floor(rnd() * 2000)).padStart(4, '0')}`;
    const wh = ['berlin', 'lyon', 'porto', 'gdansk'][Math.floor(rnd() * 4)];
    const bad = rnd() < 0.002;
    lines.push(bad ? `${sku},${wh},-${Math.floor(rnd() * 9)}` : `${sku},${wh},${Math.floor(rnd() * 300)}`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

export async function runCsvBatch(opts: Partial<CsvBatchOptions> = {}): Promise<CsvSummary> {
  const o: CsvBatchOptions = { rows: 50_000, chunk: 400, concurrency: 4, out: 'csv-batch-out', log: console.log, progress: true, ...opts };
  mkdirSync(o.out, { recursive: true });
  const file = resolve(o.file ?? join(o.out, 'stock-count.csv'));
  if (!o.file) writeSampleCsv(file, o.rows);
  const lines = readFileSync(file, 'utf8').split('\n').slice(1).filter((l) => l.trim() !== '');
  const chunks: Chunk[] = [];
  for (let i = 0; i < lines.length; i += o.chunk) chunks.push({ chunkId: chunks.length, firstLine: i + 2, rows: lines.slice(i, i + o.chunk) });
  o.log(`${file}: ${lines.length} rows in ${chunks.length} chunks of ${o.chunk}`);

  const pier = await startPier({
    storage: 'sqlite',
    config: {
      queues: { 'csv-chunks': { attributes: { VisibilityTimeout: 30 } }, 'csv-results': {} },
      functions: {
        'csv-worker': {
          handler: 'csv-batch/chunk-worker.handler',
          codeUri: EXAMPLE_DIR,
          environment: { RESULTS_URL: '${PIER_ENDPOINT}/000000000000/csv-results', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
          events: [{ queue: 'csv-chunks', batchSize: 5, maximumConcurrency: o.concurrency }],
        },
      },
    },
  });
  const sqs = new SQSClient({ endpoint: pier.endpoint, region: pier.region, credentials: { accessKeyId: 'csv', secretAccessKey: 'x' } });
  const t0 = performance.now();
  try {
    for (let i = 0; i < chunks.length; i += 10) {
      const Entries = chunks.slice(i, i + 10).map((c) => ({ Id: String(c.chunkId), MessageBody: JSON.stringify(c) }));
      const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: pier.queueUrl('csv-chunks'), Entries }));
      if (out.Failed?.length) throw new Error(`send failed: ${out.Failed[0].Message}`);
    }
    // Aggregate: each chunk's result counted once, whatever the delivery count.
    const done = new Map<number, ChunkResult>();
    let duplicates = 0;
    const deadline = Date.now() + 120_000;
    while (done.size < chunks.length && Date.now() < deadline) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: pier.queueUrl('csv-results'), MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of got.Messages ?? []) {
        const r = JSON.parse(m.Body!) as ChunkResult;
        if (done.has(r.chunkId)) duplicates++;
        else done.set(r.chunkId, r);
      }
      if (got.Messages?.length) {
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: pier.queueUrl('csv-results'), Entries: got.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
      }
      if (o.progress) progress(done, chunks.length, lines.length);
    }
    const seconds = (performance.now() - t0) / 1000;
    const total = merge([...done.values()]);
    const sequential = checkChunk({ chunkId: -1, firstLine: 2, rows: lines });
    const summary: CsvSummary = {
      file,
      chunks: done.size,
      rows: total.rows,
      invalid: total.invalid.length,
      totals: total.totals,
      matchesSequential: done.size === chunks.length && JSON.stringify(sortKeys(total.totals)) === JSON.stringify(sortKeys(sequential.totals)) && total.invalid.length === sequential.invalid.length,
      duplicates,
      seconds,
    };
    o.log(`\n${summary.rows} rows checked in ${seconds.toFixed(1)} s (${Math.round(summary.rows / seconds)} rows/s, ${o.concurrency} parallel workers)`);
    o.log(`invalid rows: ${summary.invalid}${total.invalid.length ? ` (first: ${total.invalid.slice(0, 3).map((x) => `line ${x.line} ${x.reason}`).join('; ')})` : ''}`);
    for (const [wh, n] of Object.entries(sortKeys(total.totals))) o.log(`  ${wh.padEnd(8)} ${n.toLocaleString('en-US')} units`);
    o.log(`matches a sequential pass over the file: ${summary.matchesSequential ? 'yes' : 'NO'}`);
    return summary;
  } finally {
    sqs.destroy();
    await pier.stop();
  }
}

function merge(results: ChunkResult[]): ChunkResult {
  const out: ChunkResult = { chunkId: -1, rows: 0, invalid: [], totals: {}, skus: 0 };
  for (const r of results.sort((a, b) => a.chunkId - b.chunkId)) {
    out.rows += r.rows;
    out.invalid.push(...r.invalid);
    for (const [k, v] of Object.entries(r.totals)) out.totals[k] = (out.totals[k] ?? 0) + v;
  }
  return out;
}

const sortKeys = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

function progress(done: Map<number, ChunkResult>, chunks: number, rows: number): void {
  const n = [...done.values()].reduce((a, r) => a + r.rows, 0);
  const bar = '#'.repeat(Math.round((done.size / chunks) * 30)).padEnd(30, '.');
  const line = `csv [${bar}] chunks ${done.size}/${chunks}  rows ${n}/${rows}`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line}\x1b[K`);
  else if (done.size === chunks) process.stderr.write(`${line}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({ options: { file: { type: 'string' }, rows: { type: 'string' }, chunk: { type: 'string' }, concurrency: { type: 'string' }, out: { type: 'string' } } });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const s = await runCsvBatch(
    Object.fromEntries(Object.entries({ file: values.file, rows: num(values.rows), chunk: num(values.chunk), concurrency: num(values.concurrency), out: values.out }).filter(([, v]) => v !== undefined)),
  );
  process.exit(s.matchesSequential ? 0 : 1);
}

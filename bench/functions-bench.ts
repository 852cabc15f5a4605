// Functions throughput: a no-op handler with BatchSize 10 and MaximumConcurrency 1, 5 and 50 against
// sqs-consumer (batchSize 10; 1, 5 and 50 consumers) draining the same durable (SQLite) queue in
// the same run. Each row pre-fills the queue with N messages while nothing consumes, then starts
// the consumer and times the drain (from the moment it starts to an empty queue; the functions
// rows include spawning their handler processes). Run alone with `node dist/bench/functions-bench.js
// [--quick]`, or through `npm run bench -- --only f`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Consumer } from 'sqs-consumer';
import { Client } from './load.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const QUEUE = 'bench-fn';

export interface FunctionsRow {
  consumer: string;
  concurrency: number;
  messages: number;
  seconds: number;
  msgsPerSec: number;
}

interface Server {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

function serve(dataDir: string, config?: string): Promise<Server> {
  const args = [join(root, 'dist/src/cli/main.js'), 'serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn', ...(config ? ['--config', config] : [])];
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (c: Buffer) => {
      text += c.toString();
      const m = /listening on (http:\/\/\S+:(\d+))/.exec(text);
      if (!m) return;
      proc.stdout!.off('data', onData);
      proc.stdout!.resume();
      const exited = new Promise<void>((done) => proc.once('exit', () => done()));
      resolve({ endpoint: m[1]!, port: Number(m[2]), stop: () => (proc.kill('SIGTERM'), exited) });
    };
    proc.stdout!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`pier exited (${code}) before listening: ${text}`)));
  });
}

async function fill(port: number, queueUrl: string, n: number): Promise<void> {
  const client = new Client(port, 16);
  const batch = (i: number) => ({ QueueUrl: queueUrl, Entries: Array.from({ length: 10 }, (_, j) => ({ Id: String(j), MessageBody: `m-${i}-${j}-${'x'.repeat(100)}` })) });
  let next = 0;
  const batches = Math.ceil(n / 10);
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < batches) await client.must('SendMessageBatch', batch(next++));
    }),
  );
  client.agent.destroy();
}

async function remaining(port: number, queueUrl: string): Promise<number> {
  const client = new Client(port, 1);
  const out = (await client.must('GetQueueAttributes', { QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] })) as { Attributes: Record<string, string> };
  client.agent.destroy();
  return Number(out.Attributes.ApproximateNumberOfMessages) + Number(out.Attributes.ApproximateNumberOfMessagesNotVisible);
}

async function drained(port: number, queueUrl: string, t0: number): Promise<number> {
  for (;;) {
    if ((await remaining(port, queueUrl)) === 0) return (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Fills the queue with no consumer running, returns the data dir ready for the measured run. */
async function prefilled(dataDir: string, n: number): Promise<void> {
  const s = await serve(dataDir);
  const client = new Client(s.port, 1);
  const { QueueUrl } = (await client.must('CreateQueue', { QueueName: QUEUE, Attributes: { VisibilityTimeout: '30' } })) as { QueueUrl: string };
  client.agent.destroy();
  await fill(s.port, QueueUrl, n);
  await s.stop();
}

export async function functionRow(dir: string, n: number, concurrency: number): Promise<FunctionsRow> {
  const dataDir = join(dir, `fn-${concurrency}`);
  await prefilled(dataDir, n);
  const config = join(dir, `fn-${concurrency}.yaml`);
  writeFileSync(
    config,
    `queues:\n  ${QUEUE}: {}\nfunctions:\n  noop:\n    handler: noop.handler\n    codeUri: ${join(root, 'test/fixtures/functions')}\n` +
      `    events: [{ queue: ${QUEUE}, batchSize: 10, maximumConcurrency: ${concurrency} }]\n`,
  );
  const t0 = performance.now(); // the mapping starts polling as the server starts
  const s = await serve(dataDir, config);
  const seconds = await drained(s.port, `${s.endpoint}/000000000000/${QUEUE}`, t0);
  await s.stop();
  return { consumer: 'Pier function (no-op, BatchSize 10)', concurrency, messages: n, seconds, msgsPerSec: Math.round(n / seconds) };
}

export async function consumerRow(dir: string, n: number, consumers: number): Promise<FunctionsRow> {
  const dataDir = join(dir, `sc-${consumers}`);
  await prefilled(dataDir, n);
  const s = await serve(dataDir);
  const queueUrl = `${s.endpoint}/000000000000/${QUEUE}`;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const sqs = new SQSClient({ endpoint: s.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  const t0 = performance.now();
  const running = Array.from({ length: consumers }, () =>
    Consumer.create({ queueUrl, sqs, batchSize: 10, waitTimeSeconds: 1, pollingWaitTimeMs: 0, handleMessageBatch: async (msgs) => msgs }),
  );
  for (const c of running) {
    c.on('error', () => undefined); // polls cut short by the stop below
    c.start();
  }
  const seconds = await drained(s.port, queueUrl, t0);
  await Promise.all(running.map((c) => new Promise((done) => (c.once('stopped', done), c.stop({ abort: true })))));
  sqs.destroy();
  await s.stop();
  return { consumer: 'sqs-consumer (no-op, batchSize 10)', concurrency: consumers, messages: n, seconds, msgsPerSec: Math.round(n / seconds) };
}

export async function functionsBench(opts: { quick?: boolean } = {}): Promise<{ rows: FunctionsRow[]; markdown: string }> {
  const n = opts.quick ? 5_000 : 20_000;
  const dir = mkdtempSync(join(tmpdir(), 'pier-fnbench-'));
  const rows: FunctionsRow[] = [];
  try {
    for (const c of [1, 5, 50]) {
      process.stderr.write(`functions c=${c}…`);
      rows.push(await functionRow(dir, n, c));
      process.stderr.write(` ${rows.at(-1)!.msgsPerSec} msgs/s; sqs-consumer ×${c}…`);
      rows.push(await consumerRow(dir, n, c));
      process.stderr.write(` ${rows.at(-1)!.msgsPerSec} msgs/s\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const lines = [
    '| consumer | concurrency | messages | drain s | msgs/s |',
    '|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.consumer} | ${r.concurrency} | ${r.messages.toLocaleString('en-US')} | ${r.seconds.toFixed(2)} | ${r.msgsPerSec.toLocaleString('en-US')} |`),
    '',
    '- Same durable (SQLite) queue, pre-filled with no consumer running; each row restarts Pier on its own data dir. Functions: MaximumConcurrency = concurrency, handler processes spawned on demand (counted). sqs-consumer: that many Consumer instances in the bench process, over HTTP.',
  ];
  return { rows, markdown: lines.join('\n') };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { markdown } = await functionsBench({ quick: process.argv.includes('--quick') });
  process.stdout.write(`\n${markdown}\n`);
}

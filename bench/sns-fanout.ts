// SNS fan-out bench: Publish (Query protocol, as every SDK sends it) to a topic with 1, 4 and 16
// SQS subscriptions (default envelope delivery, signed), closed loop on keep-alive connections, on
// a durable server: a Publish is answered only after every queue's copy is committed. Next to it,
// in the same run, SendMessageBatch(10) to the same queues — what a producer writing the copies
// itself would get. Reports publishes/s and deliveries/s (= publishes × subscriptions).
// Standalone: `node dist/bench/sns-fanout.js [--quick] [--connections N]` starts its own Pier;
// bench/run.ts calls snsFanout() with its server when `--only` includes `s`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const BODY = 'x'.repeat(128);
const scope = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;

class Http {
  private agent: Agent;
  constructor(
    private port: number,
    sockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  }
  post(headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: this.port, method: 'POST', path: '/', agent: this.agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }
  sns(params: Record<string, string>) {
    return this.post({ 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: scope('sns') }, new URLSearchParams({ Version: '2010-03-31', ...params }).toString());
  }
  sqs(action: string, input: object) {
    return this.post({ 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}`, authorization: scope('sqs') }, JSON.stringify(input));
  }
  close() {
    this.agent.destroy();
  }
}

async function must(r: Promise<{ status: number; body: string }>, what: string): Promise<string> {
  const x = await r;
  if (x.status !== 200) throw new Error(`${what} → HTTP ${x.status}: ${x.body.slice(0, 300)}`);
  return x.body;
}

async function closedLoop(workers: number, warmMs: number, durationMs: number, step: () => Promise<boolean>): Promise<{ count: number; seconds: number; errors: number }> {
  const start = performance.now();
  const from = start + warmMs;
  const end = from + durationMs;
  let count = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < end) {
        const measuring = performance.now() >= from;
        const ok = await step();
        if (measuring && ok) count++;
        if (!ok) errors++;
      }
    }),
  );
  return { count, seconds: (performance.now() - from) / 1000, errors };
}

export interface FanoutRow {
  subscriptions: number;
  publishesPerSec: number;
  deliveriesPerSec: number;
  sendBatchMsgsPerSec: number;
  errors: number;
}

export async function snsFanout(port: number, connections: number, warmMs: number, durationMs: number): Promise<{ rows: FanoutRow[]; markdown: string }> {
  const http = new Http(port, connections);
  const rows: FanoutRow[] = [];
  try {
    for (const n of [1, 4, 16]) {
      const tag = `bench-fan${n}-${Date.now()}`;
      const topicXml = await must(http.sns({ Action: 'CreateTopic', Name: tag }), 'CreateTopic');
      const TopicArn = /<TopicArn>([^<]+)</.exec(topicXml)![1]!;
      const urls: string[] = [];
      for (let i = 0; i < n; i++) {
        urls.push(JSON.parse(await must(http.sqs('CreateQueue', { QueueName: `${tag}-${i}` }), 'CreateQueue')).QueueUrl);
        await must(http.sns({ Action: 'Subscribe', TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:000000000000:${tag}-${i}` }), 'Subscribe');
      }
      process.stderr.write(`sns fan-out ${n}: publish…`);
      const pub = await closedLoop(connections, warmMs, durationMs, async () => (await http.sns({ Action: 'Publish', TopicArn, Message: BODY })).status === 200);
      const pubRate = pub.count / pub.seconds;
      process.stderr.write(` ${Math.round(pubRate)}/s; SendMessageBatch…`);
      let next = 0;
      const entries = Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: BODY }));
      const batch = await closedLoop(connections, warmMs, durationMs, async () => {
        const r = await http.sqs('SendMessageBatch', { QueueUrl: urls[next++ % n], Entries: entries });
        return r.status === 200 && !r.body.includes('"Failed":[{');
      });
      const batchRate = (batch.count * 10) / batch.seconds;
      process.stderr.write(` ${Math.round(batchRate)} msgs/s\n`);
      rows.push({ subscriptions: n, publishesPerSec: Math.round(pubRate), deliveriesPerSec: Math.round(pubRate * n), sendBatchMsgsPerSec: Math.round(batchRate), errors: pub.errors + batch.errors });
    }
  } finally {
    http.close();
  }
  const lines = [
    '| SNS fan-out (durable) | publishes/s | deliveries/s | SendMessageBatch(10) to the same queues, msgs/s | errors |',
    '|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.subscriptions} queue${r.subscriptions > 1 ? 's' : ''} | ${r.publishesPerSec.toLocaleString('en-US')} | ${r.deliveriesPerSec.toLocaleString('en-US')} | ${r.sendBatchMsgsPerSec.toLocaleString('en-US')} | ${r.errors} |`),
    '',
    `- Publish of a ${BODY.length}-byte message, envelope delivery (signed, SHA1withRSA), ${connections} connections; a publish is answered after every copy is committed (fsync).`,
    '- Goal: 16 queues ≥ 7,300 publishes/s (an anchor figure from a larger machine).',
  ];
  return { rows, markdown: lines.join('\n') };
}

async function standalone(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, connections: { type: 'string', default: '32' } } });
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'pier-sns-bench-'));
  const child = spawn(process.execPath, [join(root, 'dist/src/cli/main.js'), 'serve', '--port', '0', '--data-dir', dir, '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on http:\/\/[^\s]+:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`pier exited (${code})`)));
    });
    const scale = values.quick ? 0.25 : 1;
    const { markdown } = await snsFanout(port, Number(values.connections), 1000 * scale, 6000 * scale);
    process.stdout.write(`${markdown}\n`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await standalone();

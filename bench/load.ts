// Keep-alive load generation over raw node:http speaking the SQS JSON protocol: a small client,
// precomputed request bodies, and closed-loop / open-loop drivers. No AWS SDK in the hot loop.
import { Agent, request } from 'node:http';

export interface Reply {
  status: number;
  body: Buffer;
}

/** Static SigV4-shaped header, as the SDK sends one; the servers read the scope, not the signature. */
const AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sqs/aws4_request, ' +
  'SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-target, ' +
  'Signature=0000000000000000000000000000000000000000000000000000000000000000';

/** One keep-alive connection pool to one server on 127.0.0.1. */
export class Client {
  readonly agent: Agent;
  private readonly headers = new Map<string, Record<string, string>>();

  constructor(
    readonly port: number,
    sockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets, scheduling: 'fifo' });
  }

  call(action: string, body: Buffer): Promise<Reply> {
    let headers = this.headers.get(action);
    if (!headers) {
      headers = {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `AmazonSQS.${action}`,
        'x-amz-date': '20260101T000000Z',
        authorization: AUTHORIZATION,
      };
      this.headers.set(action, headers);
    }
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: this.port, method: 'POST', path: '/', agent: this.agent, headers: { ...headers, 'content-length': body.length } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** A call whose non-200 answer is a bench failure (setup, calibration). */
  async must(action: string, input: object): Promise<Record<string, unknown>> {
    const r = await this.call(action, Buffer.from(JSON.stringify(input)));
    if (r.status !== 200) throw new Error(`${action} → HTTP ${r.status}: ${r.body.toString()}`);
    return JSON.parse(r.body.toString()) as Record<string, unknown>;
  }

  close(): void {
    this.agent.destroy();
  }
}

// ---- message bodies: "t=<14-char timestamp>;" then padding, so every body has the same size ----

export const BODY_BYTES = 128;
const TS_WIDTH = 14;
const PLACEHOLDER = '#'.repeat(TS_WIDTH);

export const stamp = (ms: number): string => ms.toFixed(3).padStart(TS_WIDTH, '0');
const messageBody = (ts: string) => `t=${ts};`.padEnd(BODY_BYTES, 'x');

/** The send timestamp a message body carries (performance.now() of the producer). */
export function sentAt(body: string): number {
  return Number(body.slice(2, 2 + TS_WIDTH));
}

/** A request body whose timestamp is spliced in per request without re-serialising. */
export class Template {
  private readonly parts: string[];

  constructor(input: object) {
    this.parts = JSON.stringify(input).split(PLACEHOLDER);
  }

  render(ts = performance.now()): Buffer {
    return Buffer.from(this.parts.join(stamp(ts)));
  }
}

export const sendBatchTemplate = (queueUrl: string) =>
  new Template({
    QueueUrl: queueUrl,
    Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: messageBody(PLACEHOLDER) })),
  });

export const sendTemplate = (queueUrl: string) => new Template({ QueueUrl: queueUrl, MessageBody: messageBody(PLACEHOLDER) });

export const receiveBody = (queueUrl: string, waitSeconds: number) =>
  Buffer.from(JSON.stringify({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds }));

export interface Received {
  handles: string[];
  bodies: string[];
}

export function parseReceive(body: Buffer): Received {
  const out = JSON.parse(body.toString()) as { Messages?: { ReceiptHandle: string; Body: string }[] };
  const msgs = out.Messages ?? [];
  return { handles: msgs.map((m) => m.ReceiptHandle), bodies: msgs.map((m) => m.Body) };
}

export const deleteBatchBody = (queueUrl: string, handles: string[]) =>
  Buffer.from(JSON.stringify({ QueueUrl: queueUrl, Entries: handles.map((h, i) => ({ Id: `d${i}`, ReceiptHandle: h })) }));

/** True when a batch response reports per-entry failures. */
export const hasFailures = (body: Buffer) => body.includes('"Failed":[{');

// ---- drivers ----

export interface Window {
  /** performance.now() when measurement starts (after warm-up). */
  from: number;
  /** performance.now() when the last measured request completed. */
  to: number;
}

/**
 * Closed loop: `workers` loops each await `step` until the deadline or until a step returns false.
 * `step(measuring)` is told whether its request falls in the measured window (after warm-up).
 */
export async function closedLoop(
  workers: number,
  warmMs: number,
  durationMs: number,
  step: (measuring: boolean) => Promise<boolean | void>,
): Promise<Window> {
  const start = performance.now();
  const from = start + warmMs;
  const end = from + durationMs;
  let to = from;
  const loop = async () => {
    for (let now = performance.now(); now < end; now = performance.now()) {
      const measuring = now >= from;
      const more = await step(measuring);
      if (measuring) to = Math.max(to, performance.now());
      if (more === false) return;
    }
  };
  await Promise.all(Array.from({ length: workers }, loop));
  return { from, to };
}

/**
 * Open loop: fires `fire` at `ratePerSec` on schedule, whatever the responses do (no coordinated
 * omission: a slow answer does not delay the next send). Waits for stragglers at the end.
 */
export async function openLoop(
  ratePerSec: number,
  warmMs: number,
  durationMs: number,
  fire: (measuring: boolean, dueAt: number) => Promise<void>,
): Promise<Window & { fired: number; maxLagMs: number }> {
  const start = performance.now();
  const from = start + warmMs;
  const end = from + durationMs;
  const interval = 1000 / ratePerSec;
  const pending = new Set<Promise<void>>();
  let fired = 0;
  let maxLagMs = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      for (let due = start + fired * interval; due <= now && due < end; due = start + fired * interval) {
        fired++;
        if (due >= from) maxLagMs = Math.max(maxLagMs, now - due);
        const p = fire(due >= from, due).finally(() => pending.delete(p));
        pending.add(p);
      }
      if (now >= end) done();
      else setTimeout(tick, Math.max(0, Math.min(1, start + fired * interval - performance.now())));
    };
    tick();
  });
  await Promise.all(pending);
  return { from, to: end, fired, maxLagMs };
}

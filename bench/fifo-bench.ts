// FIFO bench (issue 3, `--only q`), against the durable Pier that bench/run.ts started:
// q1) end to end: producers SendMessageBatch(10) and consumers ReceiveMessage(10, wait 1 s) +
//     DeleteMessageBatch at once, with 1, 100 and 10,000 message groups; send→receive latency.
// q2) ReceiveMessage(10) + DeleteMessageBatch rate on a FIFO queue with a 200,000-message backlog
//     over 10,000 groups, as a ratio to the same on an almost empty FIFO queue (goal ≥ 0.8).
// q3) message move task: a FIFO DLQ (named by another queue's RedrivePolicy, filled directly with
//     SendMessageBatch) moved to a FIFO destination with no rate limit; msgs/s until COMPLETED.
import { Client, closedLoop, deleteBatchBody, hasFailures, parseReceive, sentAt, stamp, BODY_BYTES } from './load.js';
import { round, Samples, type LatencySummary } from './stats.js';

const GROUP_COUNTS = [1, 100, 10_000];
const BACKLOG = 200_000;
const BACKLOG_GROUPS = 10_000;
const SMALL = 20_000; // the "almost empty" queue: a tenth of the backlog, same groups
const DLQ_MESSAGES = 20_000;
const RATIO_GOAL = 0.8;

export interface FifoRow {
  scenario: string;
  msgsPerSec: number;
  latency?: LatencySummary;
  errors: number;
  firstError?: string;
  detail: Record<string, unknown>;
}

export interface FifoOptions {
  connections: number;
  /** 1, or 0.25 for --quick (scales the measuring windows, never the backlog). */
  scale: number;
}

const body = (ts: number) => `t=${stamp(ts)};`.padEnd(BODY_BYTES, 'x');

class Errors {
  count = 0;
  first?: string;
  note(action: string, r: { status: number; body: Buffer } | Error): void {
    this.count++;
    this.first ??= r instanceof Error ? `${action} → ${r.message}` : `${action} → HTTP ${r.status}: ${r.body.toString().slice(0, 300)}`;
  }
}

/** Calls and checks an action; undefined (and an error counted) unless a clean 200. */
async function call(client: Client, errors: Errors, action: string, input: object | Buffer) {
  try {
    const r = await client.call(action, Buffer.isBuffer(input) ? input : Buffer.from(JSON.stringify(input)));
    if (r.status === 200 && !hasFailures(r.body)) return r;
    errors.note(action, r);
  } catch (e) {
    errors.note(action, e as Error);
  }
  return undefined;
}

/** SendMessageBatch(10) bodies for a FIFO queue: message n goes to group n % groups, dedup id `${tag}-${n}`. */
function batcher(queueUrl: string, tag: string, groups: number) {
  let n = 0;
  return (ts: number) =>
    JSON.stringify({
      QueueUrl: queueUrl,
      Entries: Array.from({ length: 10 }, (_, i) => {
        const k = n++;
        return { Id: `m${i}`, MessageBody: body(ts), MessageGroupId: `g${k % groups}`, MessageDeduplicationId: `${tag}-${k}` };
      }),
    });
}

async function fifoQueue(client: Client, name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const url = (await client.must('CreateQueue', { QueueName: name, Attributes: { FifoQueue: 'true', ...attributes } })).QueueUrl as string;
  const attrs = (await client.must('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['QueueArn'] })).Attributes as Record<string, string>;
  return { url, arn: attrs.QueueArn! };
}

async function depth(client: Client, url: string): Promise<number> {
  const a = (await client.must('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] })).Attributes as Record<string, string>;
  return Number(a.ApproximateNumberOfMessages);
}

/** Fills a FIFO queue with `count` messages over `groups` groups, on `connections` connections, giving up after `limitMs`. */
async function fill(port: number, connections: number, url: string, tag: string, groups: number, count: number, limitMs: number, label: string) {
  const client = new Client(port, connections);
  const errors = new Errors();
  const next = batcher(url, tag, groups);
  const t0 = performance.now();
  let issued = 0;
  let sent = 0;
  let lastReport = t0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (issued < count && performance.now() - t0 < limitMs) {
        issued += 10;
        if (await call(client, errors, 'SendMessageBatch', Buffer.from(next(performance.now())))) sent += 10;
        const now = performance.now();
        if (now - lastReport > 5000) {
          lastReport = now;
          process.stderr.write(` [${label}: ${sent.toLocaleString('en-US')} in ${((now - t0) / 1000).toFixed(0)} s]`);
        }
      }
    }),
  );
  client.close();
  const seconds = (performance.now() - t0) / 1000;
  return { sent, seconds: round(seconds, 2), perSec: Math.round(sent / seconds), errors };
}

/** q1: producers and consumers at once on a FIFO queue with `groups` groups. */
async function endToEnd(port: number, url: string, groups: number, producers: number, consumers: number, warmMs: number, durationMs: number): Promise<FifoRow> {
  const prod = new Client(port, producers);
  const cons = new Client(port, consumers);
  const errors = new Errors();
  const next = batcher(url, `e2e${groups}`, groups);
  const recv = Buffer.from(JSON.stringify({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  const e2e = new Samples();
  let produced = 0;
  let consumed = 0;
  let emptyReceives = 0;
  let receives = 0;
  const sending = closedLoop(producers, warmMs, durationMs, async (measuring) => {
    const r = await call(prod, errors, 'SendMessageBatch', Buffer.from(next(performance.now())));
    if (measuring && r) produced += 10;
  });
  const receiving = closedLoop(consumers, warmMs, durationMs, async (measuring) => {
    const r = await call(cons, errors, 'ReceiveMessage', recv);
    const now = performance.now();
    if (!r) return;
    const { handles, bodies } = parseReceive(r.body);
    if (measuring) {
      receives++;
      consumed += handles.length;
      if (handles.length === 0) emptyReceives++;
      for (const b of bodies) e2e.add(now - sentAt(b));
    }
    if (handles.length > 0) await call(cons, errors, 'DeleteMessageBatch', deleteBatchBody(url, handles));
  });
  const [, w] = await Promise.all([sending, receiving]);
  prod.close();
  cons.close();
  const s = Math.max(1e-9, (w.to - w.from) / 1000);
  return {
    scenario: `q1) FIFO ${groups.toLocaleString('en-US')} group${groups > 1 ? 's' : ''}: ${producers} producers + ${consumers} consumers (wait 1 s), send→receive`,
    msgsPerSec: Math.round(consumed / s),
    latency: e2e.summary(),
    errors: errors.count,
    ...(errors.first ? { firstError: errors.first } : {}),
    detail: { groups, seconds: round(s, 2), consumed, producedPerSec: Math.round(produced / s), receives, emptyReceives, msgsPerReceive: round(consumed / Math.max(1, receives), 2) },
  };
}

/** q2: ReceiveMessage(10, no wait) + DeleteMessageBatch in a closed loop; stops early when the queue is empty. */
async function receiveRate(port: number, url: string, connections: number, warmMs: number, durationMs: number) {
  const client = new Client(port, connections);
  const errors = new Errors();
  const recv = Buffer.from(JSON.stringify({ QueueUrl: url, MaxNumberOfMessages: 10 }));
  const lat = new Samples();
  let msgs = 0;
  let emptyReceives = 0;
  const w = await closedLoop(connections, warmMs, durationMs, async (measuring) => {
    const t0 = performance.now();
    const r = await call(client, errors, 'ReceiveMessage', recv);
    if (measuring) lat.add(performance.now() - t0);
    if (!r) return;
    const { handles } = parseReceive(r.body);
    if (handles.length === 0) {
      if (measuring) emptyReceives++;
      return emptyReceives < connections * 3; // a few empty answers in a row per worker: drained
    }
    const d = await call(client, errors, 'DeleteMessageBatch', deleteBatchBody(url, handles));
    if (measuring && d) msgs += handles.length;
  });
  client.close();
  const s = Math.max(1e-9, (w.to - w.from) / 1000);
  return { msgsPerSec: Math.round(msgs / s), msgs, seconds: round(s, 2), receive: lat.summary(), emptyReceives, errors };
}

export async function fifoBench(port: number, opts: FifoOptions): Promise<{ rows: FifoRow[]; markdown: string }> {
  const C = opts.connections;
  const warmMs = 500 * opts.scale;
  const client = new Client(port, 1);
  const tag = `bench-q${Date.now()}`;
  const rows: FifoRow[] = [];
  const notes: string[] = [];
  try {
    // q1
    const P = Math.max(1, C / 4);
    for (const g of GROUP_COUNTS) {
      const { url } = await fifoQueue(client, `${tag}-e2e${g}.fifo`);
      process.stderr.write(`q1) FIFO end-to-end, ${g} groups…`);
      const row = await endToEnd(port, url, g, P, C - P, warmMs, 4000 * opts.scale);
      process.stderr.write(` ${row.msgsPerSec.toLocaleString('en-US')} msgs/s\n`);
      rows.push(row);
    }

    // q2: the almost empty queue first, then the deep backlog, same groups and consumers.
    const fillConns = 2 * C;
    const small = await fifoQueue(client, `${tag}-small.fifo`);
    process.stderr.write(`q2) filling ${SMALL.toLocaleString('en-US')} (small FIFO queue)…`);
    const smallFill = await fill(port, fillConns, small.url, `${tag}s`, BACKLOG_GROUPS, SMALL, 30_000, 'small');
    process.stderr.write(` ${smallFill.seconds} s; receiving…`);
    const smallRate = await receiveRate(port, small.url, C, warmMs, 4000 * opts.scale);
    process.stderr.write(` ${smallRate.msgsPerSec.toLocaleString('en-US')} msgs/s\n`);

    const big = await fifoQueue(client, `${tag}-backlog.fifo`);
    process.stderr.write(`q2) filling ${BACKLOG.toLocaleString('en-US')} over ${BACKLOG_GROUPS.toLocaleString('en-US')} groups, ${fillConns} conns…`);
    const bigFill = await fill(port, fillConns, big.url, `${tag}b`, BACKLOG_GROUPS, BACKLOG, 90_000, 'backlog');
    const before = await depth(client, big.url);
    process.stderr.write(` ${bigFill.sent.toLocaleString('en-US')} in ${bigFill.seconds} s (${bigFill.perSec.toLocaleString('en-US')}/s), depth ${before.toLocaleString('en-US')}; receiving…`);
    const bigRate = await receiveRate(port, big.url, C, warmMs, 4000 * opts.scale);
    const after = await depth(client, big.url);
    const ratio = bigRate.msgsPerSec / Math.max(1, smallRate.msgsPerSec);
    process.stderr.write(` ${bigRate.msgsPerSec.toLocaleString('en-US')} msgs/s (${ratio.toFixed(2)}×)\n`);
    const q2 = (label: string, r: typeof smallRate, extra: Record<string, unknown>): FifoRow => ({
      scenario: label,
      msgsPerSec: r.msgsPerSec,
      latency: r.receive,
      errors: r.errors.count,
      ...(r.errors.first ? { firstError: r.errors.first } : {}),
      detail: { messages: r.msgs, seconds: r.seconds, emptyReceives: r.emptyReceives, latencyIs: 'ReceiveMessage request', ...extra },
    });
    rows.push(
      q2(`q2) FIFO receive+delete, almost empty (${SMALL.toLocaleString('en-US')} msgs, ${BACKLOG_GROUPS.toLocaleString('en-US')} groups), ${C} conns`, smallRate, {
        filled: smallFill.sent,
        fillSeconds: smallFill.seconds,
        fillErrors: smallFill.errors.count,
      }),
      q2(`q2) FIFO receive+delete, backlog ${before.toLocaleString('en-US')} msgs (${BACKLOG_GROUPS.toLocaleString('en-US')} groups), ${C} conns — ${ratio.toFixed(2)}× empty`, bigRate, {
        backlogTarget: BACKLOG,
        backlogReached: before,
        backlogAfter: after,
        fillSeconds: bigFill.seconds,
        fillPerSec: bigFill.perSec,
        fillErrors: bigFill.errors.count,
        ratioToEmpty: round(ratio, 3),
      }),
    );
    notes.push(
      `Backlog ${before < BACKLOG ? `NOT fully reached: ${before.toLocaleString('en-US')} of ${BACKLOG.toLocaleString('en-US')}` : `of ${before.toLocaleString('en-US')}`} messages filled in ${bigFill.seconds} s ` +
        `(SendMessageBatch(10), ${fillConns} conns, ${bigFill.perSec.toLocaleString('en-US')} msgs/s); ${after.toLocaleString('en-US')} left after the receive window. ` +
        `Receive rate with the backlog / almost empty queue = ${ratio.toFixed(2)} (goal ≥ ${RATIO_GOAL}): ${ratio >= RATIO_GOAL ? 'met' : 'NOT met'}.`,
    );
    for (const u of [small.url, big.url]) await client.must('DeleteQueue', { QueueUrl: u }); // keep q3 off the big table

    // q3
    const dlq = await fifoQueue(client, `${tag}-dlq.fifo`);
    await fifoQueue(client, `${tag}-src.fifo`, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }) });
    const dest = await fifoQueue(client, `${tag}-dest.fifo`);
    process.stderr.write(`q3) filling DLQ with ${DLQ_MESSAGES.toLocaleString('en-US')}…`);
    const dlqFill = await fill(port, fillConns, dlq.url, `${tag}d`, 100, DLQ_MESSAGES, 30_000, 'dlq');
    process.stderr.write(` ${dlqFill.seconds} s; moving…`);
    const t0 = performance.now();
    await client.must('StartMessageMoveTask', { SourceArn: dlq.arn, DestinationArn: dest.arn });
    let task: Record<string, unknown> = {};
    const limitMs = 60_000;
    while (performance.now() - t0 < limitMs) {
      task = ((await client.must('ListMessageMoveTasks', { SourceArn: dlq.arn })).Results as Record<string, unknown>[])[0] ?? {};
      if (task.Status !== 'RUNNING' && task.Status !== 'CANCELLING') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const moveSeconds = (performance.now() - t0) / 1000;
    const moved = Number(task.ApproximateNumberOfMessagesMoved ?? 0);
    const destDepth = await depth(client, dest.url);
    const moveRate = Math.round(moved / moveSeconds);
    process.stderr.write(` ${task.Status}: ${moved.toLocaleString('en-US')} in ${moveSeconds.toFixed(2)} s (${moveRate.toLocaleString('en-US')} msgs/s)\n`);
    rows.push({
      scenario: `q3) StartMessageMoveTask FIFO DLQ → FIFO destination, no rate limit, ${dlqFill.sent.toLocaleString('en-US')} msgs — ${task.Status}`,
      msgsPerSec: moveRate,
      errors: dlqFill.errors.count + (task.Status === 'COMPLETED' ? 0 : 1),
      ...(task.Status === 'COMPLETED' ? {} : { firstError: `move task ${task.Status} after ${moveSeconds.toFixed(1)} s: ${task.FailureReason ?? ''}` }),
      detail: { status: task.Status, moved, toMove: task.ApproximateNumberOfMessagesToMove, destinationDepth: destDepth, seconds: round(moveSeconds, 2), fillSeconds: dlqFill.seconds },
    });
    notes.push(`Move task: ${moved.toLocaleString('en-US')} moved, ${destDepth.toLocaleString('en-US')} in the destination; timed from StartMessageMoveTask to ListMessageMoveTasks showing ${task.Status} (polled every 50 ms).`);
  } finally {
    client.close();
  }
  const ms = (n: number | undefined) => (n !== undefined && Number.isFinite(n) ? n.toFixed(2) : '—');
  const lines = [
    '| FIFO scenario (durable) | Pier msgs/s | p50 ms | p99 ms | errors |',
    '|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.scenario} | ${r.msgsPerSec.toLocaleString('en-US')} | ${ms(r.latency?.p50)} | ${ms(r.latency?.p99)} | ${r.errors} |`),
    '',
    '- Latency: send→receive per message in q1; ReceiveMessage round trip in q2; none in q3. Message n goes to group n % groups, each with its own MessageDeduplicationId. With few groups the producers outpace what the groups let through (one batch of a group in flight at a time), so q1 send→receive there is mostly time queued.',
    ...notes.map((n) => `- ${n}`),
    ...rows.filter((r) => r.firstError).map((r) => `- ERRORS in ${r.scenario.slice(0, 3)}: ${r.errors}, first: ${r.firstError}`),
  ];
  return { rows, markdown: lines.join('\n') };
}

// The four bench scenarios. Each runs the same request pattern against whichever server `t`
// names (Pier or the baseline), bounded in time (and, for the drain, by the backlog).
import {
  Client,
  closedLoop,
  deleteBatchBody,
  hasFailures,
  openLoop,
  parseReceive,
  receiveBody,
  sendBatchTemplate,
  sendTemplate,
  sentAt,
  type Reply,
  type Window,
} from './load.js';
import { round, Samples, type LatencySummary } from './stats.js';

export interface Target {
  name: 'pier' | 'baseline';
  port: number;
  /** Queue URLs by scenario (the baseline gets Pier's, so request sizes match). */
  queues: { batch: string; pipeline: string; single: string };
  /** When false, send→receive latency is not measured (the baseline's canned bodies carry no real stamps). */
  realMessages: boolean;
}

export interface Timing {
  warmMs: number;
  durationMs: number;
}

export interface Result {
  msgsPerSec: number;
  /** The latency the table shows: request latency, or send→receive for the pipeline. */
  latency: LatencySummary;
  seconds: number;
  requests: number;
  errors: number;
  firstError?: string;
  detail: Record<string, unknown>;
}

/** Counts requests and failures; a failed request is counted, never fatal to the run. */
class Tally {
  requests = 0;
  errors = 0;
  firstError?: string;

  async call(client: Client, action: string, body: Buffer, measuring: boolean): Promise<Reply | undefined> {
    try {
      const r = await client.call(action, body);
      if (measuring) this.requests++;
      if (r.status === 200 && !hasFailures(r.body)) return r;
      this.fail(`${action} → HTTP ${r.status}: ${r.body.toString().slice(0, 300)}`);
      return r.status === 200 ? r : undefined;
    } catch (e) {
      this.fail(`${action} → ${(e as Error).message}`);
      return undefined;
    }
  }

  private fail(msg: string): void {
    this.errors++;
    this.firstError ??= msg;
  }
}

const seconds = (w: Window) => Math.max(1e-9, (w.to - w.from) / 1000);

function result(msgs: number, w: Window, latency: Samples, tally: Tally, detail: Record<string, unknown> = {}): Result {
  const s = seconds(w);
  return {
    msgsPerSec: Math.round(msgs / s),
    latency: latency.summary(),
    seconds: round(s, 2),
    requests: tally.requests,
    errors: tally.errors,
    ...(tally.firstError ? { firstError: tally.firstError } : {}),
    detail: { messages: msgs, ...detail },
  };
}

/** a) SendMessageBatch(10), closed loop on `connections` keep-alive connections. */
export async function sendBatch(t: Target, connections: number, timing: Timing): Promise<Result> {
  const client = new Client(t.port, connections);
  const body = sendBatchTemplate(t.queues.batch).render(0);
  const lat = new Samples();
  const tally = new Tally();
  let msgs = 0;
  let all = 0;
  const w = await closedLoop(connections, timing.warmMs, timing.durationMs, async (measuring) => {
    const t0 = performance.now();
    const r = await tally.call(client, 'SendMessageBatch', body, measuring);
    if (r) all += 10;
    if (!measuring) return;
    lat.add(performance.now() - t0);
    if (r) msgs += 10;
  });
  client.close();
  return result(msgs, w, lat, tally, { allMessages: all });
}

/** b) ReceiveMessage(10) + DeleteMessageBatch draining the queue scenario (a) filled. */
export async function drain(t: Target, connections: number, timing: Timing): Promise<Result> {
  const client = new Client(t.port, connections);
  const recv = receiveBody(t.queues.batch, 0);
  const lat = new Samples();
  const recvLat = new Samples();
  const delLat = new Samples();
  const tally = new Tally();
  let msgs = 0;
  let all = 0;
  let drained = false;
  const w = await closedLoop(connections, timing.warmMs, timing.durationMs, async (measuring) => {
    const t0 = performance.now();
    const r = await tally.call(client, 'ReceiveMessage', recv, measuring);
    const t1 = performance.now();
    const { handles } = r ? parseReceive(r.body) : { handles: [] };
    if (r && handles.length === 0) {
      drained = true;
      return false;
    }
    if (handles.length === 0) return;
    const t2 = performance.now();
    const d = await tally.call(client, 'DeleteMessageBatch', deleteBatchBody(t.queues.batch, handles), measuring);
    if (d) all += handles.length;
    if (!measuring) return;
    const t3 = performance.now();
    lat.add(t1 - t0);
    lat.add(t3 - t2);
    recvLat.add(t1 - t0);
    delLat.add(t3 - t2);
    if (d) msgs += handles.length;
  });
  client.close();
  return result(msgs, w, lat, tally, { allMessages: all, drained, receive: recvLat.summary(), deleteBatch: delLat.summary() });
}

/**
 * c) Producers (SendMessageBatch 10) and consumers (ReceiveMessage 10, WaitTimeSeconds 1, then
 * DeleteMessageBatch) at once; each body carries its send time, so consumers measure send→receive.
 */
export async function pipeline(t: Target, producers: number, consumers: number, timing: Timing): Promise<Result> {
  const prod = new Client(t.port, producers);
  const cons = new Client(t.port, consumers);
  const template = sendBatchTemplate(t.queues.pipeline);
  const recv = receiveBody(t.queues.pipeline, 1);
  const e2e = new Samples();
  const sendLat = new Samples();
  const recvLat = new Samples();
  const tally = new Tally();
  let produced = 0;
  let consumed = 0;
  let all = 0;
  let emptyReceives = 0;
  const sending = closedLoop(producers, timing.warmMs, timing.durationMs, async (measuring) => {
    const t0 = performance.now();
    const r = await tally.call(prod, 'SendMessageBatch', template.render(t0), measuring);
    if (!measuring) return;
    sendLat.add(performance.now() - t0);
    if (r) produced += 10;
  });
  const receiving = closedLoop(consumers, timing.warmMs, timing.durationMs, async (measuring) => {
    const t0 = performance.now();
    const r = await tally.call(cons, 'ReceiveMessage', recv, measuring);
    const now = performance.now();
    if (!r) return;
    const { handles, bodies } = parseReceive(r.body);
    all += handles.length;
    if (measuring) {
      recvLat.add(now - t0);
      consumed += handles.length;
      if (handles.length === 0) emptyReceives++;
      if (t.realMessages) for (const b of bodies) e2e.add(now - sentAt(b));
    }
    if (handles.length > 0) await tally.call(cons, 'DeleteMessageBatch', deleteBatchBody(t.queues.pipeline, handles), measuring);
  });
  const [, w] = await Promise.all([sending, receiving]);
  prod.close();
  cons.close();
  const s = seconds(w);
  return result(consumed, w, t.realMessages ? e2e : recvLat, tally, {
    allMessages: all,
    latencyIs: t.realMessages ? 'send→receive' : 'ReceiveMessage request (canned bodies carry no send time)',
    producedPerSec: Math.round(produced / s),
    sendBatch: sendLat.summary(),
    receive: recvLat.summary(),
    emptyReceives,
  });
}

/** d) SendMessage at a fixed offered rate (open loop); latency from dispatch to full response. */
export async function paced(t: Target, ratePerSec: number, connections: number, timing: Timing): Promise<Result> {
  const client = new Client(t.port, connections);
  const body = sendTemplate(t.queues.single).render(0);
  const lat = new Samples();
  const fromDue = new Samples();
  const tally = new Tally();
  let msgs = 0;
  let all = 0;
  const w = await openLoop(ratePerSec, timing.warmMs, timing.durationMs, async (measuring, dueAt) => {
    const t0 = performance.now();
    const r = await tally.call(client, 'SendMessage', body, measuring);
    if (r) all++;
    if (!measuring) return;
    const t1 = performance.now();
    lat.add(t1 - t0);
    fromDue.add(t1 - dueAt);
    if (r) msgs++;
  });
  client.close();
  return result(msgs, w, lat, tally, {
    allMessages: all,
    offeredPerSec: ratePerSec,
    fired: w.fired,
    maxTimerLagMs: round(w.maxLagMs),
    latencyFromScheduledSend: fromDue.summary(),
  });
}

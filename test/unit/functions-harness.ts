// Event source mappings on the memory engine and a ManualClock: a FunctionHost whose functions run
// in this process (an Invoker that calls a plain async function), so batching, timeouts, retries
// and deletes are observed exactly, with no sleeps. The real isolation (child processes) is
// covered by the e2e tests.
import { randomUUID } from 'node:crypto';
import { FunctionHost } from '../../src/functions/host.js';
import type { InvokeOutcome, Invoker, MappingSpec, SqsEvent } from '../../src/functions/types.js';
import { arnFor, ctx, harness, type Harness, settle } from './helpers.js';

export type TestHandler = (event: SqsEvent, signal: AbortSignal) => Promise<unknown>;

/** Runs a handler in-process: its value is the JSON payload; a throw is a function error. */
export class InProcessInvoker implements Invoker {
  calls: SqsEvent[] = [];
  constructor(private readonly handler: TestHandler) {}
  async invoke(req: { event: SqsEvent }, signal: AbortSignal): Promise<InvokeOutcome> {
    this.calls.push(req.event);
    try {
      const value = await this.handler(req.event, signal);
      return { ok: true, payload: value === undefined ? undefined : JSON.stringify(value) };
    } catch (e) {
      return { ok: false, kind: 'error', errorType: (e as Error).name, errorMessage: (e as Error).message };
    }
  }
  async close(): Promise<void> {}
}

export interface FnHarness extends Harness {
  host: FunctionHost;
  invoker: InProcessInvoker;
  logs: { level: string; obj: object; msg: string }[];
  stop(): Promise<void>;
}

export interface Options {
  queue?: string;
  timeoutSeconds?: number;
  reservedConcurrency?: number;
  mapping?: Partial<MappingSpec>;
  /** Runs before the host starts (create queues, send messages). */
  before?: (h: Harness) => Promise<void>;
}

export async function startFunctions(handler: TestHandler, o: Options = {}): Promise<FnHarness> {
  const h = harness();
  const queue = o.queue ?? 'q1';
  await o.before?.(h);
  const logs: FnHarness['logs'] = [];
  const sink = (level: string) => (obj: object, msg: string) => void logs.push({ level, obj, msg });
  const invoker = new InProcessInvoker(handler);
  const host = new FunctionHost({
    service: h.service,
    scheduler: h.clock,
    uuid: randomUUID,
    log: { info: sink('info'), warn: sink('warn'), error: sink('error') },
    accountId: ctx.accountId,
    region: ctx.region,
    endpoint: ctx.baseUrl,
    invokerFor: () => invoker,
  });
  await host.start(
    [{ name: 'fn', kind: 'url', url: 'http://unused.invalid/', timeoutSeconds: o.timeoutSeconds ?? 3, reservedConcurrency: o.reservedConcurrency }],
    [{ functionName: 'fn', queueArn: arnFor(queue), batchSize: 10, maximumBatchingWindowSeconds: 0, reportBatchItemFailures: false, enabled: true, maximumConcurrency: 1, ...o.mapping }],
  );
  return {
    ...h,
    host,
    invoker,
    logs,
    stop: async () => {
      const stopped = host.stop(0);
      h.clock.advance(0);
      await stopped;
      h.service.stopPolling();
      await settle();
    },
  };
}

/** Lets promise chains run until `cond` holds (no clock time passes); fails after many turns. */
export async function until(cond: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await cond()) return;
    await settle();
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Lets pending work run for a number of event-loop turns (to show that something did NOT happen). */
export async function idle(turns = 30): Promise<void> {
  for (let i = 0; i < turns; i++) await settle();
}

export const bodies = (e: SqsEvent) => e.Records.map((r) => r.body);

// The functions runtime of one server: holds the declared functions with their invokers (child
// processes or HTTP), binds each event source mapping to its queue through the in-process
// QueueService, and reports what runs (for `pier functions list`) and its metrics.
import type { Scheduler } from '../core/ports.js';
import type { QueueService } from '../core/queue-service.js';
import { HttpInvoker } from './http-invoker.js';
import { functionProblems, mappingProblems, parseSqsArn } from './mapping-rules.js';
import { type FunctionCounters, FunctionMetrics } from './metrics.js';
import { Permits } from './permits.js';
import { MappingPoller } from './poller.js';
import { ProcessInvoker } from './process-invoker.js';
import type { FunctionLog, FunctionSpec, Invoker, MappingSpec } from './types.js';

export interface FunctionHostOptions {
  service: QueueService;
  scheduler: Scheduler;
  uuid: () => string;
  log: FunctionLog;
  accountId: string;
  region: string;
  /** Where handlers' SDK clients reach Pier (and the base of queue URLs the pollers use). */
  endpoint: string;
  /** Builds a function's invoker; default: child processes for modules, fetch for URLs. */
  invokerFor?: (fn: FunctionSpec) => Invoker;
  pollWaitSeconds?: number;
}

export class FunctionConfigError extends Error {}

/** One row of `pier functions list` (GET /_pier/functions). */
export interface FunctionInfo {
  name: string;
  kind: FunctionSpec['kind'];
  handler?: string;
  codeDir?: string;
  url?: string;
  timeoutSeconds: number;
  memoryMb?: number;
  reservedConcurrency?: number;
  mappings: {
    uuid: string;
    eventSourceArn: string;
    batchSize: number;
    maximumBatchingWindowInSeconds: number;
    functionResponseTypes: string[];
    maximumConcurrency?: number;
    state: 'Enabled' | 'Disabled';
  }[];
  metrics: FunctionCounters;
}

interface Running {
  spec: FunctionSpec;
  invoker: Invoker;
  permits: Permits;
}

export class FunctionHost {
  readonly metrics = new FunctionMetrics();
  private readonly functions = new Map<string, Running>();
  private readonly pollers: MappingPoller[] = [];

  constructor(private readonly opts: FunctionHostOptions) {}

  /** Validates everything first, so a bad declaration starts nothing. */
  async start(functions: FunctionSpec[], mappings: MappingSpec[]): Promise<void> {
    const o = this.opts;
    for (const f of functions) {
      const problems = functionProblems(f);
      if (problems.length) throw new FunctionConfigError(`function ${f.name}: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`);
      if (this.functions.has(f.name)) throw new FunctionConfigError(`function ${f.name} is declared twice`);
      const invoker = o.invokerFor?.(f) ?? (f.kind === 'module' ? new ProcessInvoker({ fn: f, region: o.region, accountId: o.accountId, endpoint: o.endpoint, log: o.log }) : new HttpInvoker(f));
      this.functions.set(f.name, { spec: f, invoker, permits: new Permits(f.reservedConcurrency) });
      this.metrics.of(f.name);
    }
    const ready: MappingPoller[] = [];
    for (const m of mappings) {
      const where = `event source mapping of ${m.functionName} on ${m.queueArn}`;
      const fn = this.functions.get(m.functionName);
      if (!fn) throw new FunctionConfigError(`${where}: no function named ${m.functionName}`);
      const key = parseSqsArn(m.queueArn);
      if (!key) throw new FunctionConfigError(`${where}: not an SQS queue ARN`);
      const ctx = { accountId: key.accountId, region: key.region, baseUrl: o.endpoint, senderId: o.accountId };
      const queueUrl = `${o.endpoint}/${key.accountId}/${key.name}`;
      let fifo: boolean;
      try {
        const attrs = await o.service.actions.GetQueueAttributes(ctx, { QueueUrl: queueUrl, AttributeNames: ['FifoQueue'] });
        fifo = attrs.Attributes?.FifoQueue === 'true';
      } catch (e) {
        throw new FunctionConfigError(`${where}: ${(e as Error).message}`);
      }
      const problems = mappingProblems(m, fifo);
      if (problems.length) throw new FunctionConfigError(`${where}: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`);
      const resolved = { ...m, uuid: o.uuid(), queueUrl, fifo, ctx };
      const deps = { service: o.service, scheduler: o.scheduler, uuid: o.uuid, log: o.log, metrics: this.metrics, pollWaitSeconds: o.pollWaitSeconds };
      ready.push(new MappingPoller(deps, resolved, fn.spec, fn.invoker, fn.permits));
    }
    for (const p of ready) {
      this.pollers.push(p);
      p.start();
    }
  }

  list(): FunctionInfo[] {
    const counters = this.metrics.snapshot();
    return [...this.functions.values()].map(({ spec }) => ({
      name: spec.name,
      kind: spec.kind,
      ...(spec.kind === 'module' ? { handler: spec.handler, codeDir: spec.codeDir, memoryMb: spec.memoryMb } : { url: spec.url }),
      timeoutSeconds: spec.timeoutSeconds,
      reservedConcurrency: spec.reservedConcurrency,
      mappings: this.pollers
        .filter((p) => p.fn.name === spec.name)
        .map(({ mapping: m, state }) => ({
          uuid: m.uuid,
          eventSourceArn: m.queueArn,
          batchSize: m.batchSize,
          maximumBatchingWindowInSeconds: m.maximumBatchingWindowSeconds,
          functionResponseTypes: m.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
          maximumConcurrency: m.maximumConcurrency,
          state,
        })),
      metrics: counters[spec.name]!,
    }));
  }

  /** Stops polling, lets running invocations finish (up to `graceMs`), then ends every process. */
  async stop(graceMs?: number): Promise<void> {
    await Promise.all(this.pollers.map((p) => p.stop(graceMs)));
    await Promise.all([...this.functions.values()].map((f) => f.invoker.close()));
  }
}

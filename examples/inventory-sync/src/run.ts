// One run of the flash sale, in either architecture: start the pieces, offer the orders, then
// (through Pier) wait for the queue to drain, alert on the DLQ, deploy the fix, redrive, and wait
// for the fan-out — all bounded in time. The figures are computed by results.ts.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { GetQueueAttributesCommand, ListMessageMoveTasksCommand, StartMessageMoveTaskCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { OrderRequest, Sku } from './catalog.js';
import { DlqAlarm, type Alert } from './dlq-alarm.js';
import { deployPromoFixIn, openStore, seedStore, value } from './inventory-store.js';
import { progressBar, runLoad, type LoadResult } from './load-gen.js';
import { openLoyaltyDb } from './loyalty-db.js';
import { arn, DLQ, QUEUE, startPierProcess, type RunningPier } from './pier-setup.js';
import { startServiceProcess } from './service-process.js';

export type Mode = 'coupled' | 'pier';

export interface RunOptions {
  mode: Mode;
  /** This run's directory (databases, logs, Pier's data). */
  dir: string;
  catalog: Sku[];
  orders: OrderRequest[];
  poisonIds: Set<string>;
  rate: number;
  poolSize: number;
  maxInProgress: number;
  concurrency: number;
  /** Cents. */
  smsThreshold: number;
  retryDelaySeconds: number;
  webhook?: string;
  /** A postgres:// URL for the inventory database; default: `inventory.db` (SQLite) in `dir`. */
  inventoryDb?: string;
  progress: boolean;
  log: (line: string) => void;
}

export interface RawRun {
  opts: RunOptions;
  load: LoadResult;
  /** The inventory database: a SQLite file or a postgres:// URL. */
  inventoryDb: string;
  loyaltyDb: string;
  /** [seconds since load start, messages] — queue depth (Pier) or requests waiting for a DB connection (coupled). */
  depth: [number, number][];
  dlqDepth: [number, number][];
  /** Messages in the DLQ once the queue had drained (before the redrive). */
  dlq?: number;
  redriven?: number;
  alerts: Alert[];
  metricsUrl?: string;
  events: [number, string][];
  warnings: string[];
  dbWrites: number;
  configFile?: string;
  /** When the fix was deployed (epoch ms): orders settled after it were held in the DLQ. */
  fixAt?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runOnce(o: RunOptions): Promise<RawRun> {
  rmSync(o.dir, { recursive: true, force: true });
  mkdirSync(o.dir, { recursive: true });
  const inventoryDb = o.inventoryDb ?? join(o.dir, 'inventory.db');
  const loyaltyDb = join(o.dir, 'loyalty.db');
  const db = await openStore(inventoryDb);
  await seedStore(db, inventoryDb, o.catalog);
  openLoyaltyDb(loyaltyDb).close();

  const run: Omit<RawRun, 'load'> = { opts: o, inventoryDb, loyaltyDb, depth: [], dlqDepth: [], alerts: [], events: [], warnings: [], dbWrites: 0 };
  let t0 = Date.now();
  const at = () => (Date.now() - t0) / 1000;
  const event = (what: string) => {
    run.events.push([at(), what]);
    o.log(`[${o.mode}] ${at().toFixed(1)} s: ${what}`);
  };

  let pier: RunningPier | undefined;
  let alarm: DlqAlarm | undefined;
  if (o.mode === 'pier') {
    pier = await startPierProcess(
      { dataDir: join(o.dir, 'pier-data'), inventoryDb, loyaltyDb, smsThreshold: o.smsThreshold, retryDelaySeconds: o.retryDelaySeconds, concurrency: o.concurrency },
      join(o.dir, 'pier.config.yaml'),
      join(o.dir, 'pier.log'),
    );
    run.configFile = pier.configFile;
    alarm = new DlqAlarm({ sqs: pier.sqs, queueUrl: pier.queueUrl(DLQ), webhook: o.webhook, log: (l) => event(l) });
    run.metricsUrl = await alarm.start();
  }
  const svcArgs = ['--mode', o.mode, '--db', inventoryDb, '--pool', String(o.poolSize), '--max-in-progress', String(o.maxInProgress), ...(pier ? ['--endpoint', pier.endpoint] : [])];
  const svc = await startServiceProcess(svcArgs, join(o.dir, 'order-service.log'));

  // Sample the backlog every 250 ms: Pier's queue, or the order service's wait for a connection.
  let sampling: Promise<void> | undefined;
  const sample = async () => {
    if (pier) {
      const d = await queueDepth(pier.sqs, pier.queueUrl(QUEUE));
      run.depth.push([at(), d.visible + d.inflight]);
      run.dlqDepth.push([at(), alarm!.depth]);
    } else run.depth.push([at(), (await svc.stats()).waiting]);
  };
  const sampler = setInterval(() => void (sampling ??= sample().catch(() => undefined).finally(() => (sampling = undefined))), 250);

  t0 = Date.now();
  const load = await runLoad({ url: svc.url, orders: o.orders, rate: o.rate, onProgress: o.progress ? progressBar(o.mode, o.orders.length) : undefined });
  event(`load done: ${o.orders.length} orders offered in ${(load.durationMs / 1000).toFixed(1)} s`);

  const accepted = o.orders.filter((_, i) => load.status[i] >= 200 && load.status[i] < 300);
  const poisonAccepted = accepted.filter((x) => o.poisonIds.has(x.orderId)).length;
  const settled = () => value(db, 'SELECT COUNT(*) FROM orders');
  const waitFor = async (what: string, ms: number, cond: () => Promise<boolean> | boolean) => {
    const end = Date.now() + ms;
    while (!(await cond())) {
      if (Date.now() > end) {
        run.warnings.push(`timed out after ${ms / 1000} s waiting for ${what}`);
        o.log(`[${o.mode}] WARNING: timed out waiting for ${what}`);
        return false;
      }
      await sleep(100);
    }
    return true;
  };

  if (pier && alarm) {
    const drainMs = 60_000 + o.orders.length * 3;
    const q = pier.queueUrl(QUEUE);
    // Drained: empty twice in a row (what is not settled by then waits in the DLQ).
    let empty = 0;
    await waitFor('the inventory queue to drain', drainMs, async () => {
      const d = await queueDepth(pier.sqs, q);
      empty = d.visible + d.inflight + d.delayed === 0 ? empty + 1 : 0;
      return empty >= 2;
    });
    event(`inventory queue drained: ${await settled()} orders settled`);
    await waitFor('the poison orders to reach the DLQ', 30_000, async () => (await queueDepth(pier.sqs, pier.queueUrl(DLQ))).visible >= poisonAccepted);
    await alarm.poll();
    run.dlq = (await queueDepth(pier.sqs, pier.queueUrl(DLQ))).visible;
    if (run.dlq > 0) {
      await sleep(600); // let the alarm's own poll see it too
      await deployPromoFixIn(db);
      run.fixAt = Date.now();
      event('fix deployed: the consumer now reads legacy promo codes (promo parser v2)');
      await pier.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('sqs', DLQ), MaxNumberOfMessagesPerSecond: 100 }));
      event(`redrive started: move task ${DLQ} -> ${QUEUE}`);
      await waitFor('the move task to complete', 60_000, async () => {
        const t = await pier.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arn('sqs', DLQ) }));
        const task = t.Results?.[0];
        if (task?.Status === 'COMPLETED') run.redriven = Number(task.ApproximateNumberOfMessagesMoved ?? 0);
        return task?.Status === 'COMPLETED' || task?.Status === 'FAILED';
      });
      await waitFor('the redriven orders to settle', 60_000, async () => (await settled()) >= accepted.length && (await queueDepth(pier.sqs, q)).visible === 0);
      event(`redrive done: ${run.redriven ?? 0} moved back, ${await settled()} orders settled`);
    }
    const loyalty = openLoyaltyDb(loyaltyDb);
    const count = (t: string) => loyalty.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number;
    const applied = () => value(db, "SELECT COUNT(*) FROM orders WHERE status = 'applied'");
    const smsDue = () => value(db, "SELECT COUNT(*) FROM orders WHERE status = 'applied' AND amount > ?", [o.smsThreshold]);
    await waitFor('the points and SMS consumers', 60_000, async () => count('points') >= (await applied()) && count('sms') >= (await smsDue()));
    loyalty.close();
    await alarm.poll();
    run.alerts = alarm.alerts;
    await alarm.stop();
  } else {
    await waitFor('the coupled service to finish its queued requests', 30_000, async () => (await svc.stats()).waiting === 0);
  }
  clearInterval(sampler);
  await sampling;
  run.dbWrites = (await svc.stats()).dbWrites;
  await svc.stop();
  await pier?.stop();
  await db.close();
  return { ...run, load };
}

export async function queueDepth(sqs: SQSClient, QueueUrl: string): Promise<{ visible: number; inflight: number; delayed: number }> {
  const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const;
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: [...names] }))).Attributes ?? {};
  return { visible: Number(a[names[0]] ?? 0), inflight: Number(a[names[1]] ?? 0), delayed: Number(a[names[2]] ?? 0) };
}

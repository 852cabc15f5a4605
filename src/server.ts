// Composition root: the only file that names concrete engines. Builds store, clock, service,
// metrics and the HTTP server, and knows how to stop them in order.
import { createHash, randomFillSync, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import type { Config } from './config/config.js';
import type { Crypto } from './core/ports.js';
import { QueueService } from './core/queue-service.js';
import { HeapScheduler } from './core/scheduler.js';
import type { Store } from './core/store.js';
import { PierMetrics } from './metrics/pier-metrics.js';
import { prepareApp } from './pier-app.js';
import { createHttpServer } from './protocol/http-server.js';
import { MemoryStore } from './storage/memory/memory-store.js';
import { openSqliteStore } from './storage/sqlite/sqlite-store.js';
import { snsRequestHandler } from './protocol/sns/dispatch.js';
import { TopicService } from './sns/topic-service.js';
import { MemorySnsStore } from './storage/memory/sns-store.js';
import { SqliteSnsStore } from './storage/sqlite/sns-store.js';

export interface PierServer {
  /** http://host:port the server listens on. */
  endpoint: string;
  port: number;
  service: QueueService;
  sns: TopicService;
  stop(): Promise<void>;
}

// Receipt-handle tokens come from a pooled CSPRNG buffer: one randomBytes(9) call per received
// message cost ~3–5 µs (about 8% of the receive path in the bench); slicing a refilled pool ~0.15 µs.
const TOKEN_BYTES = 9;
const tokenPool = Buffer.alloc(TOKEN_BYTES * 512);
let tokenOffset = tokenPool.length;
function randomToken(): string {
  if (tokenOffset + TOKEN_BYTES > tokenPool.length) {
    randomFillSync(tokenPool);
    tokenOffset = 0;
  }
  tokenOffset += TOKEN_BYTES;
  return tokenPool.toString('base64url', tokenOffset - TOKEN_BYTES, tokenOffset);
}

export const nodeCrypto: Crypto = {
  uuid: () => randomUUID(),
  md5Hex: (bytes) => createHash('md5').update(bytes).digest('hex'),
  sha256Hex: (bytes) => createHash('sha256').update(bytes).digest('hex'),
  randomToken,
};

/** One scheduler per node, driven by a single platform timer. */
export function realScheduler(): HeapScheduler {
  let timer: NodeJS.Timeout | undefined;
  return new HeapScheduler(Date.now, {
    arm: (delayMs, onFire) => {
      // Unref'd: open sockets keep a running server alive; after stop() a still-armed deadline
      // (the retention sweep) must not hold the process for up to a minute.
      timer = setTimeout(onFire, Math.min(delayMs, 2 ** 31 - 1)).unref();
    },
    disarm: () => clearTimeout(timer),
  });
}

const RETENTION_SWEEP_MS = 60_000;

export async function startServer(config: Readonly<Config>, log: Logger = pino({ level: config.logLevel })): Promise<PierServer> {
  const sqlite = config.storage === 'memory' ? undefined : await openSqliteStore(config.dataDir);
  const store: Store = sqlite ?? new MemoryStore();
  const scheduler = realScheduler();
  const service = new QueueService(store, scheduler, nodeCrypto);
  // SNS shares the SQLite connection and group commit, so a publish and its sends commit together.
  const snsStore = sqlite ? new SqliteSnsStore(sqlite.shared()) : new MemorySnsStore();
  const sns = await TopicService.open({ store: snsStore, scheduler, queues: service, log });
  const snsRoutes = snsRequestHandler({ service: sns, accountId: config.accountId, region: config.region, baseUrl: config.baseUrl, maxBodyBytes: config.maxBodyBytes, log, onRequest: (action, code, ms) => metrics.observe(action, code, ms) });
  await service.start();
  const metrics = new PierMetrics(service);
  // --config / --template: applied before listening, so a bad file fails fast (exit 2).
  const app = await prepareApp(config, service, scheduler, log, sns).catch(async (e) => {
    service.stopPolling();
    await sns.stop();
    await store.close();
    throw e;
  });

  const http = createHttpServer({
    service,
    accountId: config.accountId,
    region: config.region,
    baseUrl: config.baseUrl,
    maxBodyBytes: config.maxBodyBytes,
    log,
    onRequest: (action, code, ms) => metrics.observe(action, code, ms),
    routes: async (req, res, url) => {
      if (await snsRoutes(req, res, url)) return true; // SigV4 service `sns` and SNS's own links
      if (await app.route(req, res, url)) return true;
      if (req.method !== 'GET' || url.pathname !== '/metrics') return false;
      const body = (await metrics.render()) + app.metricsText();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body);
      return true;
    },
  });

  let sweep = scheduler.at(Date.now() + RETENTION_SWEEP_MS, function tick() {
    service.expireMessages().catch((e) => log.error({ err: e }, 'retention sweep failed'));
    sweep = scheduler.at(Date.now() + RETENTION_SWEEP_MS, tick);
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await app.stop(); // functions first: their pollers and invocations still use the service
      sweep.cancel();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      service.stopPolling();
      // Keep-alive connections whose last request (e.g. a long poll) is still being answered become
      // idle only afterwards; close them as they do, or close() waits out keepAliveTimeout (65 s).
      http.closeIdleConnections();
      const idleSweep = setInterval(() => http.closeIdleConnections(), 20);
      // Long polls were just answered; a request still open after a grace period is a stalled
      // upload, and must not hold the shutdown hostage.
      const force = setTimeout(() => http.closeAllConnections(), 5_000);
      await closed;
      clearInterval(idleSweep);
      clearTimeout(force);
      await sns.stop();
      await store.close();
    })());

  const endpoint = `http://${host}:${port}`;
  await app.start(endpoint).catch(async (e) => {
    await stop();
    throw e;
  });
  return { endpoint, port, service, sns, stop };
}

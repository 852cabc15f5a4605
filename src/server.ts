// Composition root: the only file that names concrete engines. Builds store, clock, service,
// metrics and the HTTP server, and knows how to stop them in order.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import type { Config } from './config/config.js';
import type { Crypto } from './core/ports.js';
import { QueueService } from './core/queue-service.js';
import { HeapScheduler } from './core/scheduler.js';
import type { Store } from './core/store.js';
import { PierMetrics } from './metrics/pier-metrics.js';
import { createHttpServer } from './protocol/http-server.js';
import { MemoryStore } from './storage/memory/memory-store.js';
import { openSqliteStore } from './storage/sqlite/sqlite-store.js';

export interface PierServer {
  /** http://host:port the server listens on. */
  endpoint: string;
  port: number;
  service: QueueService;
  stop(): Promise<void>;
}

export const nodeCrypto: Crypto = {
  uuid: () => randomUUID(),
  md5Hex: (bytes) => createHash('md5').update(bytes).digest('hex'),
  sha256Hex: (bytes) => createHash('sha256').update(bytes).digest('hex'),
  randomToken: () => randomBytes(9).toString('base64url'),
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
  const store: Store = config.storage === 'memory' ? new MemoryStore() : await openSqliteStore(config.dataDir);
  const scheduler = realScheduler();
  const service = new QueueService(store, scheduler, nodeCrypto);
  await service.start();
  const metrics = new PierMetrics(service);

  const http = createHttpServer({
    service,
    accountId: config.accountId,
    region: config.region,
    baseUrl: config.baseUrl,
    maxBodyBytes: config.maxBodyBytes,
    log,
    onRequest: (action, code, ms) => metrics.observe(action, code, ms),
    routes: async (req, res, url) => {
      if (req.method !== 'GET' || url.pathname !== '/metrics') return false;
      const body = await metrics.render();
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
      sweep.cancel();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      service.stopPolling();
      // Keep-alive connections whose last request (e.g. a long poll) is still being answered become
      // idle only afterwards; close them as they do, or close() waits out keepAliveTimeout (65 s).
      http.closeIdleConnections();
      const idleSweep = setInterval(() => http.closeIdleConnections(), 20);
      await closed;
      clearInterval(idleSweep);
      await store.close();
    })());

  return { endpoint: `http://${host}:${port}`, port, service, stop };
}

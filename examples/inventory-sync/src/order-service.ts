// The order service: POST /orders {orderId, sku, qty, userId[, promo]}. Bad input gets a clear 4xx
// and goes nowhere. Two architectures behind the same API:
//   pier    — send to the FIFO queue (group = SKU, dedup id = order id), answer 202 once stored;
//   coupled — the original code: read stock, then write it, through a small pool, no transaction.
// Run alone: node order-service.js --mode pier|coupled --db FILE|postgres://… [--endpoint URL] [--port N]
//            [--pool N] [--max-in-progress N]
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SQSClient } from '@aws-sdk/client-sqs';
import { parsePromo, type OrderMessage, type OrderRequest } from './catalog.js';
import { DbPool, PoolTimeoutError } from './db-pool.js';
import { isPostgresUrl, loadCatalogFrom, openStore, PgPool } from './inventory-store.js';
import { SendBatcher } from './send-batcher.js';

export interface OrderServiceOptions {
  mode: 'pier' | 'coupled';
  /** Inventory database: a SQLite file or a postgres:// URL (the catalogue is read from it; coupled mode writes to it). */
  db: string;
  /** Pier's endpoint (pier mode). */
  endpoint?: string;
  queueName?: string;
  port?: number;
  poolSize?: number;
  /** Orders in progress beyond which new ones are refused at once with 503 (load shedding). */
  maxInProgress?: number;
}

export interface OrderService {
  url: string;
  stats(): ServiceStats;
  stop(): Promise<void>;
}

export interface ServiceStats {
  mode: string;
  accepted: number;
  invalid: number;
  errors: number;
  /** Orders in progress: waiting for the database (coupled) or for Pier to store them (pier). */
  waiting: number;
  /** Refused with 503 because `maxInProgress` orders were already in progress. */
  shed: number;
  dbWrites: number;
  /** SendMessageBatch calls (pier mode). */
  sendCalls: number;
}

class BadRequest extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY = 16 * 1024;
const ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Checks a POSTed body; throws BadRequest with the field at fault. */
export function validateOrder(raw: string, prices: Map<string, number>): OrderRequest {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new BadRequest(400, 'InvalidJson', 'body is not valid JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new BadRequest(400, 'InvalidOrder', 'body must be a JSON object');
  const o = v as Record<string, unknown>;
  const str = (k: string) => {
    if (typeof o[k] !== 'string' || !ID.test(o[k] as string)) throw new BadRequest(400, 'InvalidOrder', `${k} must be a string of 1-64 letters, digits or _.:-`);
    return o[k] as string;
  };
  const orderId = str('orderId');
  const userId = str('userId');
  const sku = typeof o.sku === 'string' ? o.sku : '';
  if (!prices.has(sku)) throw new BadRequest(422, 'UnknownSku', `unknown SKU ${JSON.stringify(o.sku ?? null)}`);
  const qty = o.qty;
  if (typeof qty !== 'number' || !Number.isInteger(qty) || qty <= 0 || qty > 100) throw new BadRequest(400, 'InvalidQuantity', `qty must be an integer from 1 to 100, got ${JSON.stringify(qty ?? null)}`);
  if (o.promo !== undefined && (typeof o.promo !== 'string' || o.promo.length > 32)) throw new BadRequest(400, 'InvalidOrder', 'promo must be a string of at most 32 characters');
  return { orderId, sku, qty, userId, ...(o.promo !== undefined ? { promo: o.promo as string } : {}) };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new BadRequest(413, 'TooLarge', `body over ${MAX_BODY} bytes`));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startOrderService(opts: OrderServiceOptions): Promise<OrderService> {
  const catalogDb = await openStore(opts.db);
  const prices = new Map((await loadCatalogFrom(catalogDb)).map((s) => [s.sku, s.price]));
  await catalogDb.close();
  const seen = new Set<string>();
  const counts = { accepted: 0, invalid: 0, errors: 0, shed: 0 };
  const maxInProgress = opts.maxInProgress ?? 1000;
  let inProgress = 0;

  const pool = opts.mode !== 'coupled' ? undefined : isPostgresUrl(opts.db) ? new PgPool(opts.db, opts.poolSize ?? 4) : new DbPool(opts.db, opts.poolSize ?? 4);
  const sqs = opts.mode === 'pier' ? new SQSClient({ endpoint: opts.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'orders', secretAccessKey: 'x' } }) : undefined;
  const batcher = sqs && new SendBatcher(sqs, `${opts.endpoint}/000000000000/${opts.queueName ?? 'inventory-updates.fifo'}`);

  /** The original, coupled write path, kept as it was: read, decide, write — three autocommits. */
  async function applyCoupled(o: OrderMessage): Promise<'applied' | 'rejected'> {
    parsePromo(o.promo, 'v1'); // the same v1 parser: legacy promo codes fail the request (500)
    const { rows } = await pool!.query<{ qty: number }>('SELECT qty FROM stock WHERE sku = ?', [o.sku]);
    const left = rows[0].qty;
    const status = left >= o.qty ? 'applied' : 'rejected';
    if (status === 'applied') await pool!.query('UPDATE stock SET qty = ? WHERE sku = ?', [left - o.qty, o.sku]);
    await pool!.query('INSERT INTO orders (order_id, sku, qty, user_id, amount, status, promo, accepted_at, applied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      o.orderId, o.sku, o.qty, o.userId, o.amount, status, o.promo ?? null, o.acceptedAt, Date.now(),
    ]);
    return status;
  }

  async function postOrder(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const acceptedAt = Date.now();
    // Load shedding first, before any parsing: a refusal must cost next to nothing.
    if (inProgress >= maxInProgress) {
      counts.shed++;
      req.resume();
      return send(res, 503, { error: 'Busy', message: `${inProgress} orders in progress; retry shortly` }, { 'retry-after': '1' });
    }
    inProgress++;
    try {
      await takeOrder(req, res, acceptedAt);
    } finally {
      inProgress--;
    }
  }

  async function takeOrder(req: IncomingMessage, res: ServerResponse, acceptedAt: number): Promise<void> {
    const order = validateOrder(await readBody(req), prices);
    if (seen.has(order.orderId)) throw new BadRequest(409, 'DuplicateOrder', `order ${order.orderId} was already received`);
    seen.add(order.orderId);
    const msg: OrderMessage = { ...order, amount: order.qty * prices.get(order.sku)!, acceptedAt };
    try {
      if (batcher) {
        await batcher.send({ MessageBody: JSON.stringify(msg), MessageGroupId: order.sku, MessageDeduplicationId: order.orderId });
        counts.accepted++;
        return send(res, 202, { orderId: order.orderId, status: 'queued' });
      }
      const status = await applyCoupled(msg);
      counts.accepted++;
      send(res, status === 'applied' ? 201 : 200, { orderId: order.orderId, status, ...(status === 'rejected' ? { reason: 'out of stock' } : {}) });
    } catch (e) {
      seen.delete(order.orderId); // not taken: the client may retry with the same id
      throw e;
    }
  }

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers }).end(text);
  };
  const stats = (): ServiceStats => ({ mode: opts.mode, ...counts, waiting: inProgress, dbWrites: pool?.writes ?? 0, sendCalls: batcher?.calls ?? 0 });

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/stats') return send(res, 200, stats());
    if (req.method === 'GET' && path === '/health') return send(res, 200, { ok: true });
    if (path !== '/orders') return send(res, 404, { error: 'NotFound', message: `no route ${path}` });
    if (req.method !== 'POST') return send(res, 405, { error: 'MethodNotAllowed', message: 'POST an order' });
    postOrder(req, res).catch((e: Error) => {
      if (e instanceof BadRequest) {
        counts.invalid++;
        return send(res, e.status, { error: e.code, message: e.message });
      }
      counts.errors++;
      const status = e instanceof PoolTimeoutError ? 503 : 500;
      send(res, status, { error: status === 503 ? 'Busy' : 'InternalError', message: e.message });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    stats,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      sqs?.destroy();
      await pool?.close();
    },
  };
}

// As a process: started by the flash-sale driver, one per run.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({ options: { mode: { type: 'string' }, db: { type: 'string' }, endpoint: { type: 'string' }, port: { type: 'string' }, pool: { type: 'string' }, 'max-in-progress': { type: 'string' } } });
  const svc = await startOrderService({
    mode: values.mode === 'coupled' ? 'coupled' : 'pier',
    db: values.db ?? 'inventory.db',
    endpoint: values.endpoint,
    port: Number(values.port ?? 0),
    poolSize: Number(values.pool ?? 4),
    maxInProgress: Number(values['max-in-progress'] ?? 1000),
  });
  process.stdout.write(`listening on ${svc.url}\n`);
  process.once('SIGTERM', () => void svc.stop().then(() => process.exit(0)));
}

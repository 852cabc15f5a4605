// The inventory-sync example's order service: bad input gets a clear 4xx and never reaches the
// queue (or, coupled, the database); a good order is queued once with group = SKU, dedup id = order id.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startPier, type StartedPier } from '../../src/index.js';
import { makeCatalog } from '../../examples/inventory-sync/src/catalog.js';
import { audit, openDb, seedDb } from '../../examples/inventory-sync/src/inventory-db.js';
import { startOrderService, type OrderService } from '../../examples/inventory-sync/src/order-service.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const dir = mkdtempSync(join(tmpdir(), 'pier-demo-orders-'));
const dbFile = join(dir, 'inventory.db');
let pier: StartedPier;
let svc: OrderService;
let sqs: SQSClient;

before(async () => {
  seedDb(openDb(dbFile), makeCatalog(5, 100));
  pier = await startPier({ config: { queues: { 'inventory-updates.fifo': {} } } });
  svc = await startOrderService({ mode: 'pier', db: dbFile, endpoint: pier.endpoint });
  sqs = new SQSClient({ endpoint: pier.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
});
after(async () => {
  sqs.destroy();
  await svc.stop();
  await pier.stop();
  rmSync(dir, { recursive: true, force: true });
});

const post = async (url: string, body: string, method = 'POST') => {
  const res = await fetch(`${url}/orders`, { method, body: method === 'POST' ? body : undefined, headers: { 'content-type': 'application/json' } });
  return { status: res.status, body: (await res.json()) as { error?: string; message?: string; status?: string } };
};
const good = { orderId: 'o-1', sku: 'SKU-001', qty: 2, userId: 'u-1' };

const BAD: [string, string, number, string][] = [
  ['bad JSON', '{"orderId": "o-2", ', 400, 'InvalidJson'],
  ['not an object', '[1,2]', 400, 'InvalidOrder'],
  ['unknown SKU', JSON.stringify({ ...good, orderId: 'o-3', sku: 'SKU-999' }), 422, 'UnknownSku'],
  ['qty 0', JSON.stringify({ ...good, orderId: 'o-4', qty: 0 }), 400, 'InvalidQuantity'],
  ['qty negative', JSON.stringify({ ...good, orderId: 'o-5', qty: -3 }), 400, 'InvalidQuantity'],
  ['qty fractional', JSON.stringify({ ...good, orderId: 'o-6', qty: 1.5 }), 400, 'InvalidQuantity'],
  ['qty as a string', JSON.stringify({ ...good, orderId: 'o-7', qty: '2' }), 400, 'InvalidQuantity'],
  ['no order id', JSON.stringify({ sku: 'SKU-001', qty: 1, userId: 'u' }), 400, 'InvalidOrder'],
  ['order id with a slash', JSON.stringify({ ...good, orderId: '../x' }), 400, 'InvalidOrder'],
  ['body too large', JSON.stringify({ ...good, orderId: 'o-8', promo: 'x'.repeat(20_000) }), 413, 'TooLarge'],
];

test('pier mode: bad input gets a clear 4xx; a duplicate order id a 409; only the good order is queued', async () => {
  for (const [what, body, status, code] of BAD) {
    const r = await post(svc.url, body);
    assert.equal(r.status, status, what);
    assert.equal(r.body.error, code, what);
    assert.ok(r.body.message, `${what}: a message says why`);
  }
  const ok = await post(svc.url, JSON.stringify(good));
  assert.equal(ok.status, 202);
  assert.equal(ok.body.status, 'queued');
  const dup = await post(svc.url, JSON.stringify({ ...good, qty: 1 }));
  assert.equal(dup.status, 409);
  assert.equal(dup.body.error, 'DuplicateOrder');
  assert.equal((await post(svc.url, '', 'GET')).status, 405);

  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: pier.queueUrl('inventory-updates.fifo'), MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'] }));
  assert.equal(got.Messages?.length, 1, 'exactly the one good order reached the queue');
  const m = got.Messages![0];
  assert.equal(m.Attributes?.MessageGroupId, 'SKU-001');
  assert.equal(m.Attributes?.MessageDeduplicationId, 'o-1');
  const body = JSON.parse(m.Body!);
  assert.equal(body.orderId, 'o-1');
  assert.equal(body.qty, 2);
  assert.ok(body.amount > 0 && body.acceptedAt > 0);
  assert.equal(svc.stats().invalid, BAD.length + 1, "every bad request and the duplicate are counted");
});

test('coupled mode: the same checks, and bad input never touches the inventory database', async () => {
  const coupledDb = join(dir, 'coupled.db');
  seedDb(openDb(coupledDb), makeCatalog(5, 100));
  const coupled = await startOrderService({ mode: 'coupled', db: coupledDb, poolSize: 2 });
  try {
    for (const [what, body, status] of BAD) assert.equal((await post(coupled.url, body)).status, status, what);
    const ok = await post(coupled.url, JSON.stringify(good));
    assert.equal(ok.status, 201);
    assert.equal(ok.body.status, 'applied');
    assert.equal((await post(coupled.url, JSON.stringify(good))).status, 409);
    const a = audit(openDb(coupledDb));
    assert.equal(a.applied + a.rejected, 1);
  } finally {
    await coupled.stop();
  }
});

// A short flash sale end to end (both architectures, a few thousand orders): through Pier nothing
// is oversold and every accepted order is settled exactly once; poison orders reach the DLQ after
// 3 receives, raise an alert (log line, metric, webhook) and are redriven after the fix; the
// fan-out reaches points and SMS; the coupled shop genuinely loses updates; the report is written.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runFlashSale } from '../../examples/inventory-sync/src/flash-sale.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

test('flash sale, 3,000 orders: 0 oversold through Pier, every order settled once, poison redriven, report written', { timeout: 120_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'pier-demo-flash-'));
  const hooks: { alarm: string; depth: number }[] = [];
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hooks.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const lines: string[] = [];
  try {
    const { runs, reportFile } = await runFlashSale({
      orders: 3000,
      rate: 500,
      skus: 10,
      poison: 0.003,
      stockRatio: 0.3,
      // No load shedding: on a busy CI machine every order must still be taken.
      maxInProgress: 1_000_000,
      out,
      progress: false,
      webhook: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/alerts`,
      log: (l) => lines.push(l),
    });
    const text = lines.join('\n');
    const [coupled, pier] = runs;
    assert.equal(pier.mode, 'pier');

    // Through Pier: no overselling, every accepted order applied or rejected exactly once.
    assert.equal(pier.oversold, 0, text);
    assert.equal(pier.drift, 0);
    assert.equal(pier.errors, 0);
    assert.equal(pier.accepted, 3000);
    assert.equal(pier.missing, 0);
    assert.equal(pier.unexpected, 0);
    assert.equal(pier.applied + pier.rejected, pier.accepted);
    assert.ok(pier.settledExactlyOnce);
    assert.ok(pier.rejected > 0, 'stock ran out: later orders were rejected, not oversold');
    assert.match(text, /^oversold units: 0 \(pier\)$/m);

    // Poison orders: in the DLQ (with any orders queued behind them in their SKU group), alerted, redriven.
    assert.ok(pier.poisonAccepted > 0, 'the stream had poison orders');
    assert.ok(pier.dlq! >= pier.poisonAccepted, `DLQ ${pier.dlq} ≥ poison ${pier.poisonAccepted}`);
    assert.equal(pier.redriven, pier.dlq);
    assert.ok(pier.alerts.length >= 1);
    assert.match(text, /ALERT dead-letter queue inventory-updates-dlq\.fifo holds \d+ message/);
    assert.ok(hooks.length >= 1 && hooks[0].alarm === 'inventory-dlq-not-empty' && hooks[0].depth >= 1, 'the webhook was called');
    assert.equal(pier.alerts[0].webhook, '204');
    assert.equal(pier.warnings.length, 0, pier.warnings.join('; '));

    // Fan-out: every applied order credited points once; SMS only above the threshold.
    assert.equal(pier.fanout!.points, pier.applied);
    assert.equal(pier.fanout!.sms, pier.fanout!.smsExpected);
    assert.ok(pier.fanout!.sms > 0 && pier.fanout!.sms < pier.applied);

    // The coupled shop, the same orders: read-then-write through the pool loses updates.
    assert.equal(coupled.mode, 'coupled');
    assert.ok(coupled.drift > 0, `coupled stock drift ${coupled.drift}`);
    assert.match(text, /^oversold units: \d+ \(coupled\)$/m);

    // The report: self-contained HTML with inline SVG charts and both runs.
    assert.ok(existsSync(reportFile));
    const html = readFileSync(reportFile, 'utf8');
    assert.equal((html.match(/<svg /g) ?? []).length, 3);
    assert.doesNotMatch(html, /<script|<link|src="http/);
    assert.match(html, /coupled \(direct DB\)/);
    assert.match(html, /via Pier/);
    assert.ok(text.includes(`report: ${reportFile}`));
  } finally {
    hook.close();
    rmSync(out, { recursive: true, force: true });
  }
});

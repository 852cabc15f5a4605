// The smaller examples: a CSV split into messages and checked in parallel by a function, results
// aggregated exactly once; log lines collected into per-service, per-hour files.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCsvBatch } from '../../examples/inventory-sync/csv-batch/csv-batch.js';
import { runLogCollection } from '../../examples/inventory-sync/log-collection/log-collection.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

test('csv batch: every chunk counted once, the sum equals a sequential pass', { timeout: 60_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'pier-demo-csv-'));
  try {
    const s = await runCsvBatch({ rows: 8000, chunk: 250, out, progress: false, log: () => {} });
    assert.equal(s.chunks, 32);
    assert.equal(s.rows, 8000);
    assert.ok(s.invalid > 0, 'the sample has bad rows');
    assert.ok(s.matchesSequential);
    assert.deepEqual(Object.keys(s.totals).sort(), ['berlin', 'gdansk', 'lyon', 'porto']);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('log collection: every line in its service/hour file, none missing', { timeout: 60_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'pier-demo-logs-'));
  try {
    const s = await runLogCollection({ services: 3, lines: 600, out, log: () => {} });
    assert.equal(s.sent, 1800);
    assert.equal(s.missing, 0);
    assert.equal(s.duplicates, 0);
    assert.ok(s.files.length >= 6 && s.files.every((f) => /^(orders|inventory|payments)\/\d{4}-\d\d-\d\dT\d\d\.log$/.test(f)), s.files.join(', '));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

// FIFO conformance through boto3/botocore: py/fifo_scenario.py (the seed's inventory pattern:
// inventory-updates.fifo, MessageGroupId = SKU, content-based and explicit deduplication, a FIFO
// dead-letter queue after 3 failed receives, a StartMessageMoveTask redrive) run by each
// interpreter the machine has, each against its own fresh server so the queue keeps its real name:
// the default `python3` (current botocore, AWS JSON 1.0) and Debian's `/usr/bin/python3`
// (botocore 1.29, Query protocol, which predates the move-task API; the scenario then teaches it
// the three operations from botocore's last Query model, see fifo_scenario.py). The scenario
// asserts; this file checks its report.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot, startConformanceServer } from './server.js';

const run = promisify(execFile);
const scenario = join(repoRoot(), 'test', 'conformance', 'py', 'fifo_scenario.py');

interface Report {
  protocol: string;
  boto3: string;
  botocore: string;
  python: string;
  move_task_model: 'bundled' | 'extended';
  total: number;
  passed: string[];
  failed: { check: string; error: string }[];
}

/** Why this interpreter cannot run the scenario, or undefined when it can. */
async function unavailable(python: string): Promise<string | undefined> {
  try {
    await run(python, ['-c', 'import boto3'], { timeout: 30_000 });
    return undefined;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    return err.code === 'ENOENT' ? `${python} is not installed` : `${python} cannot import boto3: ${(err.stderr ?? err.message).trim().split('\n').pop()}`;
  }
}

const interpreters = [
  { label: 'default python3 (pyenv)', python: 'python3', expect: 'json' },
  { label: 'Debian /usr/bin/python3 (python3-boto3)', python: '/usr/bin/python3', expect: 'query' },
] as const;

/** The checks fifo_scenario.py runs, in order; a renamed or dropped check fails here. */
const CHECKS = [
  'create_fifo_queue_with_fifo_dlq',
  'send_stock_updates_grouped_by_sku',
  'duplicate_sends_are_acknowledged_not_enqueued',
  'receive_request_attempt_id_retry_returns_the_same_batch',
  'consumers_apply_each_sku_in_order_exactly_once',
  'a_message_failing_three_receives_lands_in_the_dlq',
  'start_message_move_task_redrives_to_the_source',
  'fifo_errors_as_botocore_reports_them',
];

const seen = new Map<string, string>();

describe('boto3 FIFO scenario (inventory-updates.fifo)', () => {
  for (const { label, python, expect } of interpreters) {
    it(`passes every check with ${label}`, async (t) => {
      const why = await unavailable(python);
      if (why) return t.skip(why);
      const server = await startConformanceServer();
      let stdout: string;
      try {
        ({ stdout } = await run(python, [scenario, server.endpoint], { timeout: 120_000, maxBuffer: 8 << 20 }));
      } catch (e) {
        // A non-zero exit still printed the report; anything else is a crash worth showing whole.
        const err = e as { stdout?: string; stderr?: string; message: string };
        if (!err.stdout?.trim()) assert.fail(`scenario crashed: ${err.stderr ?? err.message}`);
        stdout = err.stdout;
      } finally {
        await server.close();
      }
      const report = JSON.parse(stdout.trim().split('\n').pop()!) as Report;
      t.diagnostic(`${report.python}: boto3 ${report.boto3}, botocore ${report.botocore}, protocol ${report.protocol}, move-task model ${report.move_task_model}`);
      seen.set(label, report.protocol);
      assert.deepEqual(report.failed.map((f) => `${f.check}:\n${f.error}`), [], 'every scenario check passes');
      assert.deepEqual(report.passed, CHECKS, 'every check ran, in order, and passed');
      assert.equal(report.protocol, expect, `${label} is expected to exercise the ${expect} protocol`);
      // The current botocore ships the move-task operations itself; Debian's 1.29.27 (Dec 2022)
      // predates the API (2023), so there the scenario adds them to its Query model.
      if (expect === 'json') assert.equal(report.move_task_model, 'bundled');
    });
  }

  it('exercised both wire protocols', (t) => {
    if (seen.size < interpreters.length) return t.skip('an interpreter was unavailable');
    assert.deepEqual(new Set(seen.values()), new Set(['json', 'query']));
  });
});

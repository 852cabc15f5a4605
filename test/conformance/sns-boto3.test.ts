// SNS conformance through boto3 with both interpreters the machine has — the default `python3`
// (current botocore) and Debian's `/usr/bin/python3` (botocore 1.29). SNS is Query protocol in
// both (botocore's SNS model has only `query`), so both must pass every check of
// py/sns_scenario.py: envelope and raw fan-out, the entry/member encodings, errors and FIFO.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot, startConformanceServer, type RunningServer } from './server.js';

const run = promisify(execFile);
const scenario = join(repoRoot(), 'test', 'conformance', 'py', 'sns_scenario.py');

let server: RunningServer;
before(async () => {
  server = await startConformanceServer();
});
after(async () => {
  await server?.close();
});

async function unavailable(python: string): Promise<string | undefined> {
  try {
    await run(python, ['-c', 'import boto3'], { timeout: 30_000 });
    return undefined;
  } catch (e) {
    return `${python} cannot import boto3: ${String((e as Error).message).split('\n')[0]}`;
  }
}

describe('SNS via boto3', () => {
  for (const [label, python, prefix] of [
    ['default python3 (pyenv)', 'python3', 'sns-py-default'],
    ['Debian /usr/bin/python3 (python3-boto3)', '/usr/bin/python3', 'sns-py-debian'],
  ] as const) {
    it(label, async (t) => {
      const why = await unavailable(python);
      if (why) return t.skip(why);
      let stdout = '';
      try {
        ({ stdout } = await run(python, [scenario, server.endpoint, `${prefix}-${process.pid}`], { timeout: 120_000 }));
      } catch (e) {
        stdout = (e as { stdout?: string }).stdout ?? '';
        if (!stdout) throw e;
      }
      const report = JSON.parse(stdout.trim().split('\n').pop()!) as { botocore: string; total: number; passed: string[]; failed: { check: string; error: string }[] };
      t.diagnostic(`botocore ${report.botocore}`);
      assert.deepEqual(report.failed, [], `failed checks:\n${report.failed.map((f) => `${f.check}: ${f.error}`).join('\n')}`);
      assert.equal(report.passed.length, report.total);
    });
  }
});

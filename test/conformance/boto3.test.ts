// Conformance through boto3/botocore: one Python scenario (py/scenario.py) run by each interpreter
// the machine has — the default `python3` (current botocore: AWS JSON 1.0) and Debian's
// `/usr/bin/python3` (python3-boto3, botocore 1.29: Query protocol) — against a real server.
// The scenario asserts results, botocore error codes and modeled exception classes, and reports
// which protocol the client spoke; this file checks that report.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot, startConformanceServer, type RunningServer } from './server.js';

const run = promisify(execFile);
const scenario = join(repoRoot(), 'test', 'conformance', 'py', 'scenario.py');

interface Report {
  protocol: string;
  boto3: string;
  botocore: string;
  python: string;
  total: number;
  passed: string[];
  failed: { check: string; error: string }[];
}

/** Which protocol botocore speaks for SQS, by version (spec §1.4). */
function expectedProtocol(botocore: string): 'json' | 'query' {
  const [maj, min, patch] = botocore.split('.').map(Number);
  const v = maj * 1e6 + min * 1e3 + patch;
  const at = (a: number, b: number, c: number) => a * 1e6 + b * 1e3 + c;
  if (v >= at(1, 34, 90)) return 'json';
  if (v >= at(1, 31, 81) && v < at(1, 32, 6)) return 'json';
  return 'query';
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

let server: RunningServer;
before(async () => {
  server = await startConformanceServer();
});
after(async () => {
  await server?.close();
});

const interpreters = [
  { label: 'default python3 (pyenv)', python: 'python3', prefix: 'py-default', expect: 'json' },
  { label: 'Debian /usr/bin/python3 (python3-boto3)', python: '/usr/bin/python3', prefix: 'py-debian', expect: 'query' },
] as const;

const seen = new Map<string, string>();

describe('boto3 scenario', () => {
  for (const { label, python, prefix, expect } of interpreters) {
    it(`passes every check with ${label}`, async (t) => {
      const why = await unavailable(python);
      if (why) return t.skip(why);
      let stdout: string;
      try {
        ({ stdout } = await run(python, [scenario, server.endpoint, prefix], { timeout: 90_000, maxBuffer: 8 << 20 }));
      } catch (e) {
        // A non-zero exit still printed the report; anything else is a crash worth showing whole.
        const err = e as { stdout?: string; stderr?: string; message: string };
        if (!err.stdout?.trim()) assert.fail(`scenario crashed: ${err.stderr ?? err.message}`);
        stdout = err.stdout;
      }
      const report = JSON.parse(stdout.trim().split('\n').pop()!) as Report;
      t.diagnostic(`${report.python}: boto3 ${report.boto3}, botocore ${report.botocore}, protocol ${report.protocol}`);
      seen.set(label, report.protocol);
      assert.deepEqual(report.failed.map((f) => `${f.check}:\n${f.error}`), [], 'every scenario check passes');
      assert.equal(report.passed.length, report.total, 'every check ran and passed');
      assert.ok(report.total >= 17, `the scenario has all its checks (${report.total})`);
      assert.equal(report.protocol, expectedProtocol(report.botocore), 'botocore speaks the protocol its version implies');
      assert.equal(report.protocol, expect, `${label} is expected to exercise the ${expect} protocol`);
    });
  }

  it('exercised both wire protocols', (t) => {
    if (seen.size < interpreters.length) return t.skip('an interpreter was unavailable');
    assert.deepEqual(new Set(seen.values()), new Set(['json', 'query']));
  });
});

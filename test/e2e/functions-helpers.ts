// Shared by the functions e2e tests: fixture paths, the JSON lines handlers write to $OUT_FILE,
// polling for a condition with a deadline, and an SDK client for a started Pier.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';

/** test/fixtures in the source tree (compiled tests run from dist/test/e2e). */
export const FIXTURES = resolve(fileURLToPath(import.meta.url), '../../../../test/fixtures');
export const FN = join(FIXTURES, 'functions');

export function scratch(prefix: string): { dir: string; out: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `pier-${prefix}-`));
  return { dir, out: (name) => join(dir, `${name}.jsonl`), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Invocations a fixture handler recorded (one JSON object per line). */
export function lines<T = Record<string, unknown>>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);
}

/** Polls `cond` every 20 ms until it holds or `ms` pass (real time: these tests run real processes). */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function client(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDPIERTEST', secretAccessKey: 'x' }, maxAttempts: 1 });
}

export async function depth(sqs: SQSClient, QueueUrl: string): Promise<{ visible: number; inflight: number }> {
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes ?? {};
  return { visible: Number(a.ApproximateNumberOfMessages), inflight: Number(a.ApproximateNumberOfMessagesNotVisible) };
}

export interface FunctionsList {
  functions: { name: string; metrics: { invocations: number; errors: number; timeouts: number; crashes: number; messagesDeleted: number; messagesRetried: number } }[];
}

export async function fnMetrics(endpoint: string, name: string) {
  const body = (await (await fetch(`${endpoint}/_pier/functions`)).json()) as FunctionsList;
  return body.functions.find((f) => f.name === name)!.metrics;
}

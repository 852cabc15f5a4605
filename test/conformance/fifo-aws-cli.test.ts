// FIFO conformance through the aws CLI v2 from Debian (/usr/bin/aws, Query protocol): the seed's
// inventory pattern as an operator would type it — inventory-updates.fifo with MessageGroupId =
// SKU, content-based and explicit deduplication, a FIFO dead-letter queue after 3 failed receives,
// and `aws sqs start-message-move-task` to redrive it. The Debian CLI (2.9) predates the
// move-task API; when its bundled SQS model lacks the three commands, py/fifo_scenario.py writes
// that model with them added (shapes from botocore's last Query model) and the CLI loads it through
// AWS_DATA_PATH, so its own Query serializer and XML parser still do the work. Steps build on each
// other, in order; no timing assertions (the move task is polled with a generous bound).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { md5Hex } from './attribute-md5.js';
import { AWS_CLI, repoRoot, runAwsCli, startConformanceServer, type RunningServer } from './server.js';

const aws = (...args: string[]) => runAwsCli(server.endpoint, 'sqs', args, moveTaskModel === 'extended' ? { AWS_DATA_PATH: modelDir } : {});

const AWS = AWS_CLI;
const PYTHON = '/usr/bin/python3'; // the interpreter /usr/bin/aws runs on
const missing = existsSync(AWS) ? undefined : `${AWS} is not installed (Debian package awscli)`;

const SKUS = ['SKU-2001', 'SKU-2002', 'SKU-2003'];
const UPDATES = 4;
const MAX_RECEIVE_COUNT = 3;
const SOURCE_ARN = 'arn:aws:sqs:us-east-1:000000000000:inventory-updates.fifo';
const DLQ_ARN = 'arn:aws:sqs:us-east-1:000000000000:inventory-updates-dlq.fifo';

let server: RunningServer;
let modelDir: string;
let moveTaskModel: string;

before(async () => {
  if (missing) return;
  server = await startConformanceServer();
  modelDir = await mkdtemp(join(tmpdir(), 'pier-cli-model-'));
  const scenario = join(repoRoot(), 'test', 'conformance', 'py', 'fifo_scenario.py');
  moveTaskModel = await new Promise<string>((resolve, reject) =>
    execFile(PYTHON, [scenario, '--extend-model', 'awscli.botocore', modelDir], { timeout: 60_000 }, (e, out, err) => (e ? reject(new Error(`${e.message}\n${err}`)) : resolve(out.trim()))),
  );
});
after(async () => {
  await server?.close();
  if (modelDir) await rm(modelDir, { recursive: true, force: true });
});



/** Runs a command that must succeed and parses its JSON output ({} when it prints nothing). */
async function ok(...args: string[]): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await aws(...args);
  assert.equal(r.code, 0, `aws sqs ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : {};
}

/** Runs a command that must fail as a service error: exit code 254 and the CLI's one-line report. */
async function fails(code: string, operation: string, message: string, ...args: string[]): Promise<void> {
  const r = await aws(...args);
  assert.equal(r.code, 254, `aws sqs ${args.join(' ')} should fail: ${r.stdout}`);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trim(), `An error occurred (${code}) when calling the ${operation} operation: ${message}`);
}

const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const bodyOf = (sku: string, update: number) => JSON.stringify({ delta: update + 1, sku, update });

async function counts(url: string): Promise<Record<string, string>> {
  return (await ok('get-queue-attributes', '--queue-url', url, '--attribute-names', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible')).Attributes;
}

/** SequenceNumber (spec §5.4): a decimal string, strictly increasing within its message group. */
function checkSequence(last: Map<string, bigint>, group: string, seq: string | undefined): void {
  assert.match(seq ?? '', /^\d{1,40}$/, `SequenceNumber of ${group}`);
  const n = BigInt(seq!);
  const prev = last.get(group);
  assert.ok(prev === undefined || n > prev, `${group}: SequenceNumber ${n} after ${prev}`);
  last.set(group, n);
}

describe('aws CLI v2 FIFO (inventory-updates.fifo)', { skip: missing }, () => {
  let url: string;
  let dlqUrl: string;
  const sent = new Map<string, string>();
  let poison: { id: string; body: string } | undefined;

  it('knows the move-task commands (bundled, or added to its own Query model) and reports its protocol', async (t) => {
    const r = await aws('list-queues', '--debug');
    assert.equal(r.code, 0, r.stderr);
    const protocol = /'body': \{'Action': 'ListQueues'/.test(r.stderr) ? 'query' : /AmazonSQS\.ListQueues/i.test(r.stderr) ? 'json' : 'unknown';
    t.diagnostic(`aws-cli ${/aws-cli\/([\d.]+)/.exec(r.stderr)?.[1]}, protocol ${protocol}, move-task model ${moveTaskModel}`);
    assert.notEqual(protocol, 'unknown');
    assert.ok(['bundled', 'extended'].includes(moveTaskModel), moveTaskModel);
    const help = await aws('start-message-move-task', 'help');
    assert.equal(help.code, 0, `start-message-move-task is a command: ${help.stderr}`);
  });

  it('create-queue: the FIFO queue with ContentBasedDeduplication and a FIFO DLQ (maxReceiveCount 3)', async () => {
    dlqUrl = (await ok('create-queue', '--queue-name', 'inventory-updates-dlq.fifo', '--attributes', 'FifoQueue=true')).QueueUrl;
    const attributes = { FifoQueue: 'true', ContentBasedDeduplication: 'true', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: DLQ_ARN, maxReceiveCount: String(MAX_RECEIVE_COUNT) }) };
    url = (await ok('create-queue', '--queue-name', 'inventory-updates.fifo', '--attributes', JSON.stringify(attributes))).QueueUrl;
    assert.equal(url, `${server.endpoint}/000000000000/inventory-updates.fifo`);
    const { Attributes: a } = await ok('get-queue-attributes', '--queue-url', url, '--attribute-names', 'All');
    assert.deepEqual([a.FifoQueue, a.ContentBasedDeduplication, a.DeduplicationScope, a.FifoThroughputLimit], ['true', 'true', 'queue', 'perQueue']);
    assert.deepEqual(JSON.parse(a.RedrivePolicy), { deadLetterTargetArn: DLQ_ARN, maxReceiveCount: MAX_RECEIVE_COUNT });
    assert.deepEqual((await ok('list-dead-letter-source-queues', '--queue-url', dlqUrl)).queueUrls, [url]);
  });

  it('send-message / send-message-batch per SKU; duplicates answered with the original MessageId', async () => {
    const last = new Map<string, bigint>();
    for (const sku of SKUS) {
      const body = bodyOf(sku, 0);
      const r = await ok('send-message', '--queue-url', url, '--message-body', body, '--message-group-id', sku, '--message-deduplication-id', `${sku}-0`);
      assert.equal(r.MD5OfMessageBody, md5Hex(body));
      checkSequence(last, sku, r.SequenceNumber);
      sent.set(`${sku}/0`, r.MessageId);
    }
    for (let n = 1; n < UPDATES; n++) {
      const entries = SKUS.map((sku) => ({ Id: `${sku}-${n}`, MessageBody: bodyOf(sku, n), MessageGroupId: sku }));
      const r = await ok('send-message-batch', '--queue-url', url, '--entries', JSON.stringify(entries));
      assert.equal(r.Failed, undefined);
      assert.deepEqual(r.Successful.map((s: { Id: string }) => s.Id), entries.map((e) => e.Id));
      r.Successful.forEach((s: { MessageId: string; SequenceNumber: string; MD5OfMessageBody: string }, i: number) => {
        assert.equal(s.MD5OfMessageBody, md5Hex(entries[i].MessageBody));
        checkSequence(last, entries[i].MessageGroupId, s.SequenceNumber);
        sent.set(`${entries[i].MessageGroupId}/${n}`, s.MessageId);
      });
    }
    const retry = await ok('send-message', '--queue-url', url, '--message-body', 'retry', '--message-group-id', SKUS[0], '--message-deduplication-id', `${SKUS[0]}-0`);
    assert.equal(retry.MessageId, sent.get(`${SKUS[0]}/0`), 'explicit id: the duplicate is acknowledged, not enqueued');
    const again = await ok('send-message', '--queue-url', url, '--message-body', bodyOf(SKUS[1], 2), '--message-group-id', SKUS[1]);
    assert.equal(again.MessageId, sent.get(`${SKUS[1]}/2`), 'same content: deduplicated by its SHA-256');
    assert.deepEqual(await counts(url), { ApproximateNumberOfMessages: String(SKUS.length * UPDATES), ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('receive-message (with a --receive-request-attempt-id retry) applies each SKU in order, once', async () => {
    const attempt = ['receive-message', '--queue-url', url, '--attribute-names', 'All', '--max-number-of-messages', '10', '--receive-request-attempt-id', 'cli-worker-attempt-1'];
    const first = (await ok(...attempt)).Messages ?? [];
    assert.ok(first.length > 0);
    const retry = (await ok(...attempt)).Messages ?? [];
    assert.deepEqual(retry.map((m: { MessageId: string; ReceiptHandle: string }) => [m.MessageId, m.ReceiptHandle]), first.map((m: { MessageId: string; ReceiptHandle: string }) => [m.MessageId, m.ReceiptHandle]));

    const applied = new Map(SKUS.map((s) => [s, [] as number[]]));
    const seenIds = new Set<string>();
    let pending = first;
    for (let round = 0; round < 40 && seenIds.size < SKUS.length * UPDATES; round++) {
      if (pending.length === 0) pending = (await ok('receive-message', '--queue-url', url, '--attribute-names', 'All', '--max-number-of-messages', '10', '--wait-time-seconds', '1')).Messages ?? [];
      for (const m of pending) {
        const body = JSON.parse(m.Body) as { sku: string; update: number };
        assert.equal(m.MD5OfBody, md5Hex(m.Body));
        assert.equal(m.Attributes.MessageGroupId, body.sku);
        assert.equal(m.Attributes.MessageDeduplicationId, body.update === 0 ? `${body.sku}-0` : sha256Hex(m.Body));
        assert.equal(m.MessageId, sent.get(`${body.sku}/${body.update}`));
        assert.ok(!seenIds.has(m.MessageId), 'delivered once');
        seenIds.add(m.MessageId);
        applied.get(body.sku)!.push(body.update);
      }
      if (pending.length) {
        const entries = pending.map((m: { ReceiptHandle: string }, i: number) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle }));
        assert.equal((await ok('delete-message-batch', '--queue-url', url, '--entries', JSON.stringify(entries))).Failed, undefined);
      }
      pending = [];
    }
    const inOrder = Array.from({ length: UPDATES }, (_, i) => i);
    assert.deepEqual(Object.fromEntries(applied), Object.fromEntries(SKUS.map((s) => [s, inOrder])));
    assert.deepEqual(await ok('receive-message', '--queue-url', url, '--wait-time-seconds', '1'), {}, 'nothing left, nothing twice');
  });

  it('a message failing 3 receives lands in the DLQ with ApproximateReceiveCount and DeadLetterQueueSourceArn', async () => {
    const body = JSON.stringify({ delta: 'oops', sku: 'SKU-9999', update: 0 });
    const id = (await ok('send-message', '--queue-url', url, '--message-body', body, '--message-group-id', 'SKU-9999', '--message-deduplication-id', 'poison-0')).MessageId;
    for (let attempt = 1; attempt <= MAX_RECEIVE_COUNT; attempt++) {
      const got = (await ok('receive-message', '--queue-url', url, '--attribute-names', 'ApproximateReceiveCount', '--wait-time-seconds', '1')).Messages ?? [];
      assert.deepEqual(got.map((m: { MessageId: string; Attributes: Record<string, string> }) => [m.MessageId, m.Attributes.ApproximateReceiveCount]), [[id, String(attempt)]]);
      await ok('change-message-visibility', '--queue-url', url, '--receipt-handle', got[0].ReceiptHandle, '--visibility-timeout', '0');
    }
    assert.deepEqual(await ok('receive-message', '--queue-url', url), {}, 'moved instead of returned');
    const dead = (await ok('receive-message', '--queue-url', dlqUrl, '--attribute-names', 'All', '--visibility-timeout', '0')).Messages ?? [];
    assert.equal(dead.length, 1);
    assert.deepEqual([dead[0].MessageId, dead[0].Body], [id, body]);
    assert.equal(dead[0].Attributes.ApproximateReceiveCount, String(MAX_RECEIVE_COUNT + 1));
    assert.equal(dead[0].Attributes.DeadLetterQueueSourceArn, SOURCE_ARN);
    assert.equal(dead[0].Attributes.MessageGroupId, 'SKU-9999');
    poison = { id, body };
  });

  it('start-message-move-task without --destination-arn redrives it; list-message-move-tasks shows COMPLETED', async () => {
    assert.ok(poison, 'the previous step put a message in the DLQ');
    const { TaskHandle } = await ok('start-message-move-task', '--source-arn', DLQ_ARN);
    assert.ok(TaskHandle);
    const deadline = Date.now() + 30_000; // a bound, not an expectation
    let tasks = (await ok('list-message-move-tasks', '--source-arn', DLQ_ARN, '--max-results', '10')).Results ?? [];
    while (tasks[0]?.Status === 'RUNNING' || tasks[0]?.Status === 'CANCELLING') {
      assert.ok(Date.now() < deadline, `task still ${tasks[0].Status} after 30 s`);
      await sleep(200);
      tasks = (await ok('list-message-move-tasks', '--source-arn', DLQ_ARN, '--max-results', '10')).Results ?? [];
    }
    assert.equal(tasks.length, 1);
    const { StartedTimestamp, ...task } = tasks[0];
    assert.deepEqual(task, { Status: 'COMPLETED', SourceArn: DLQ_ARN, ApproximateNumberOfMessagesMoved: 1, ApproximateNumberOfMessagesToMove: 1 });
    assert.ok(Number.isInteger(StartedTimestamp) && Math.abs(StartedTimestamp - Date.now()) < 86_400_000, `StartedTimestamp ${StartedTimestamp}`);

    const back = (await ok('receive-message', '--queue-url', url, '--attribute-names', 'All', '--wait-time-seconds', '1')).Messages ?? [];
    assert.equal(back.length, 1);
    assert.equal(back[0].Body, poison.body);
    assert.notEqual(back[0].MessageId, poison.id, 'a new message');
    assert.equal(back[0].Attributes.ApproximateReceiveCount, '1');
    assert.equal(back[0].Attributes.DeadLetterQueueSourceArn, undefined);
    assert.deepEqual(await ok('delete-message', '--queue-url', url, '--receipt-handle', back[0].ReceiptHandle), {});
    assert.deepEqual(await counts(dlqUrl), { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });

    await fails('ResourceNotFoundException', 'CancelMessageMoveTask', 'Task does not exist.', 'cancel-message-move-task', '--task-handle', TaskHandle);
  });

  it('reports FIFO and move-task errors with exit code 254 and the query error code', async () => {
    await fails('MissingParameter', 'SendMessage', 'The request must contain the parameter MessageGroupId.', 'send-message', '--queue-url', url, '--message-body', 'x', '--message-deduplication-id', 'e-1');
    await fails('InvalidParameterValue', 'SendMessage', 'Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
      'send-message', '--queue-url', url, '--message-body', 'x', '--message-group-id', 'SKU-2001', '--delay-seconds', '5');
    await fails('InvalidParameterValue', 'StartMessageMoveTask', 'Source queue must be configured as a Dead Letter Queue.', 'start-message-move-task', '--source-arn', SOURCE_ARN);
    await fails('ResourceNotFoundException', 'StartMessageMoveTask', "The resource that you specified for the SourceArn parameter doesn't exist.", 'start-message-move-task', '--source-arn', `${DLQ_ARN}-nope`);
    await fails('InvalidParameterValue', 'CancelMessageMoveTask', 'Value for parameter TaskHandle is invalid.', 'cancel-message-move-task', '--task-handle', 'foobared');
  });
});

// Crash recovery: SIGKILL the server in the middle of a send/receive/delete stream, restart it on
// the same data dir, and prove that no acknowledged send is lost or doubled and no acknowledged
// delete is undone. Several rounds, each killed at a different point, share one data dir.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { sqsClient, startPier, tempDir, type PierProcess } from './pier-process.js';

const QUEUE = 'crash-stream';
const SENDERS = 4;
const CONSUMERS = 2;
/** Consumers' visibility timeout: a message they received but did not delete comes back after it. */
const CONSUMER_VISIBILITY_S = 3;
const PADDING = 'x'.repeat(200);

/** What the clients were told, across all rounds. */
class Ledger {
  /** Body ids whose send was attempted (acknowledged or not). */
  readonly attempted = new Set<string>();
  /** Body ids whose send was acknowledged with a MessageId. */
  readonly ackedSend = new Set<string>();
  /** Body ids some consumer received, with how many receives each. */
  readonly receives = new Map<string, number>();
  /** Body ids a delete was attempted for (it may have happened even if unacknowledged). */
  readonly deleteAttempted = new Set<string>();
  /** Body ids whose delete was acknowledged using the handle of the body's latest receive. */
  readonly ackedDelete = new Set<string>();
  /** Errors seen before the kill: there must be none. */
  readonly unexpected: unknown[] = [];
}

const bodyOf = (id: string) => `${id}|${PADDING}`;
const idOf = (body: string | undefined) => (body ?? '').split('|')[0]!;

interface Round {
  killed: boolean;
  sendsAcked: number;
  deletesAcked: number;
}

async function sender(client: SQSClient, queueUrl: string, name: string, ledger: Ledger, round: Round): Promise<void> {
  for (let seq = 0; !round.killed; ) {
    try {
      if (seq % 3 === 0) {
        const id = `${name}-${seq++}`;
        ledger.attempted.add(id);
        const out = await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: bodyOf(id) }));
        assert.ok(out.MessageId, 'a 200 SendMessage carries a MessageId');
        ledger.ackedSend.add(id);
        round.sendsAcked++;
      } else {
        const entries = Array.from({ length: 10 }, (_, i) => ({ Id: `e${i}`, MessageBody: bodyOf(`${name}-${seq + i}`) }));
        seq += 10;
        for (const e of entries) ledger.attempted.add(idOf(e.MessageBody));
        const out = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
        if (out.Failed?.length) ledger.unexpected.push(new Error(`batch entries failed: ${JSON.stringify(out.Failed)}`));
        for (const ok of out.Successful ?? []) {
          assert.ok(ok.MessageId, 'a successful batch entry carries a MessageId');
          ledger.ackedSend.add(idOf(entries.find((e) => e.Id === ok.Id)!.MessageBody));
          round.sendsAcked++;
        }
      }
    } catch (e) {
      if (!round.killed) ledger.unexpected.push(e);
      return;
    }
  }
}

async function consumer(client: SQSClient, queueUrl: string, ledger: Ledger, round: Round): Promise<void> {
  for (let turn = 0; !round.killed; turn++) {
    try {
      const got = await client.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: CONSUMER_VISIBILITY_S, WaitTimeSeconds: 1 }),
      );
      const messages = (got.Messages ?? []).map((m) => {
        const id = idOf(m.Body);
        const receiveNo = (ledger.receives.get(id) ?? 0) + 1;
        ledger.receives.set(id, receiveNo);
        return { id, handle: m.ReceiptHandle!, receiveNo };
      });
      // Leave every fifth message received but not deleted: it must come back later.
      const toDelete = messages.filter((_, i) => (turn + i) % 5 !== 0);
      for (const m of toDelete) ledger.deleteAttempted.add(m.id);
      // A delete counts only if no later receive made its handle stale (AWS: such a delete succeeds
      // without deleting). With a 3 s visibility and an immediate delete this is nearly always so.
      const acked = (m: (typeof toDelete)[number]) => {
        if (ledger.receives.get(m.id) === m.receiveNo) ledger.ackedDelete.add(m.id);
        round.deletesAcked++;
      };
      if (turn % 2 === 0) {
        for (const m of toDelete) {
          await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.handle }));
          acked(m);
        }
      } else if (toDelete.length) {
        const out = await client.send(
          new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: toDelete.map((m, i) => ({ Id: String(i), ReceiptHandle: m.handle })) }),
        );
        if (out.Failed?.length) ledger.unexpected.push(new Error(`delete entries failed: ${JSON.stringify(out.Failed)}`));
        for (const ok of out.Successful ?? []) acked(toDelete[Number(ok.Id)]!);
      }
    } catch (e) {
      if (!round.killed) ledger.unexpected.push(e);
      return;
    }
  }
}

const until = async (cond: () => boolean, what: string, limitMs = 20_000) => {
  for (const end = Date.now() + limitMs; !cond(); ) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** Receives and deletes everything; returns the MessageIds seen per body id and receives per body id. */
async function drain(client: SQSClient, queueUrl: string) {
  const messageIds = new Map<string, Set<string>>();
  const receives = new Map<string, number>();
  for (const end = Date.now() + 40_000; ; ) {
    assert.ok(Date.now() < end, 'the drain finishes');
    const got = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300, WaitTimeSeconds: 1 }));
    const messages = got.Messages ?? [];
    if (messages.length === 0) {
      const { Attributes: a = {} } = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }));
      const left = Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible) + Number(a.ApproximateNumberOfMessagesDelayed);
      if (left === 0) return { messageIds, receives };
      continue; // messages received before the kill are still invisible: wait for them
    }
    for (const m of messages) {
      const id = idOf(m.Body);
      assert.equal(m.Body, bodyOf(id), 'body intact');
      if (!messageIds.has(id)) messageIds.set(id, new Set());
      messageIds.get(id)!.add(m.MessageId!);
      receives.set(id, (receives.get(id) ?? 0) + 1);
    }
    const out = await client.send(
      new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }),
    );
    assert.deepEqual(out.Failed ?? [], [], 'drain deletes succeed');
  }
}

/** Kill points, one per round: after N acknowledged sends, or after N acknowledged deletes. */
const KILL_POINTS: Array<{ label: string; ready: (r: Round) => boolean }> = [
  { label: 'early, after 200 acknowledged sends', ready: (r) => r.sendsAcked >= 200 },
  { label: 'deep, after 1500 acknowledged sends', ready: (r) => r.sendsAcked >= 1500 },
  { label: 'after 60 acknowledged deletes', ready: (r) => r.deletesAcked >= 60 },
];

test('SIGKILL mid-stream loses no acknowledged send and undoes no acknowledged delete', { timeout: 60_000 }, async (t) => {
  const { dir, cleanup } = tempDir('crash');
  t.after(cleanup);
  const ledger = new Ledger();
  let pier: PierProcess | undefined;
  t.after(() => pier?.stop('SIGKILL'));

  for (const [i, point] of KILL_POINTS.entries()) {
    pier = await startPier(['--port', '0', '--data-dir', dir]);
    const client = sqsClient(pier.endpoint);
    let queueUrl: string;
    if (i === 0) {
      queueUrl = (await client.send(new CreateQueueCommand({ QueueName: QUEUE }))).QueueUrl!;
    } else {
      // The queue itself survived the previous kill.
      queueUrl = (await client.send(new GetQueueUrlCommand({ QueueName: QUEUE }))).QueueUrl!;
    }
    const round: Round = { killed: false, sendsAcked: 0, deletesAcked: 0 };
    const workers = [
      ...Array.from({ length: SENDERS }, (_, s) => sender(client, queueUrl, `r${i}s${s}`, ledger, round)),
      ...Array.from({ length: CONSUMERS }, () => consumer(client, queueUrl, ledger, round)),
    ];
    await until(() => point.ready(round) || ledger.unexpected.length > 0, point.label);
    round.killed = true;
    const exit = await pier.stop('SIGKILL');
    assert.equal(exit.signal, 'SIGKILL', `round ${i} (${point.label}): the server died by SIGKILL`);
    await Promise.all(workers);
    client.destroy();
    assert.deepEqual(ledger.unexpected, [], `round ${i}: no errors before the kill`);
    t.diagnostic(`round ${i} killed ${point.label}: ${round.sendsAcked} sends and ${round.deletesAcked} deletes acknowledged`);
  }

  pier = await startPier(['--port', '0', '--data-dir', dir]);
  const client = sqsClient(pier.endpoint);
  t.after(() => client.destroy());
  const queueUrl = (await client.send(new GetQueueUrlCommand({ QueueName: QUEUE }))).QueueUrl!;
  const { messageIds, receives } = await drain(client, queueUrl);

  const receivedNotDeleted = [...ledger.receives.keys()].filter((id) => !ledger.deleteAttempted.has(id));
  t.diagnostic(
    `attempted ${ledger.attempted.size}, acknowledged ${ledger.ackedSend.size}, deletes acknowledged ${ledger.ackedDelete.size}, ` +
      `received-not-deleted ${receivedNotDeleted.length}, drained ${messageIds.size}`,
  );
  assert.ok(ledger.ackedDelete.size > 0 && receivedNotDeleted.length > 0, 'the stream exercised deletes and received-not-deleted messages');

  const problems: string[] = [];
  for (const [id, ids] of messageIds) {
    if (!ledger.attempted.has(id)) problems.push(`${id}: drained but never sent`);
    if (ids.size > 1) problems.push(`${id}: stored ${ids.size} times (${[...ids].join(', ')})`);
    if (receives.get(id)! > 1) problems.push(`${id}: delivered ${receives.get(id)} times during the drain`);
    if (ledger.ackedDelete.has(id)) problems.push(`${id}: its delete was acknowledged, yet it came back`);
  }
  for (const id of ledger.ackedSend) {
    if (!ledger.deleteAttempted.has(id) && !messageIds.has(id)) {
      problems.push(`${id}: acknowledged send lost${ledger.receives.has(id) ? ' (it was received, never deleted)' : ''}`);
    }
  }
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
  // Everything acknowledged and not deleted is accounted for, exactly once.
  const expected = [...ledger.ackedSend].filter((id) => !ledger.deleteAttempted.has(id));
  assert.ok(expected.every((id) => messageIds.get(id)?.size === 1));
});

// StartMessageMoveTask / CancelMessageMoveTask / ListMessageMoveTasks: parameters, error texts and
// the listing (spec §3, §6.9). What the runner does over time is in move-tasks-run.test.ts.
// Sources: localstack tests/aws/services/sqs/test_sqs_move_task.py and its .snapshot.json, recorded
// against AWS (@markers.aws.validated).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { arnFor, ctx, harness, type Harness, makeQueue, receive, rejects, settle, T0, wire } from './helpers.js';

interface TaskRow {
  TaskHandle?: string;
  Status: string;
  SourceArn: string;
  DestinationArn?: string;
  MaxNumberOfMessagesPerSecond?: number;
  ApproximateNumberOfMessagesMoved: number;
  ApproximateNumberOfMessagesToMove?: number;
  FailureReason?: string;
  StartedTimestamp: number;
}

const list = async (h: Harness, SourceArn: string, MaxResults?: number) =>
  wire((await h.a.ListMessageMoveTasks(ctx, { SourceArn, MaxResults })).Results ?? []) as TaskRow[];

/** src (maxReceiveCount 1) → dlq, plus a destination; `n` messages already dead-lettered. */
async function pipe(n = 3) {
  const h = harness();
  const dlq = await makeQueue(h, 'dlq');
  const src = await makeQueue(h, 'src', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnFor('dlq'), maxReceiveCount: 1 }) });
  const dest = await makeQueue(h, 'dest');
  for (let i = 0; i < n; i++) await h.a.SendMessage(ctx, { QueueUrl: src, MessageBody: `message-${i}` });
  for (let i = 0; i < 2 * n + 2; i++) await receive(h, src, { MaxNumberOfMessages: 10, VisibilityTimeout: 0 });
  return { h, dlq, src, dest, dlqArn: arnFor('dlq'), srcArn: arnFor('src'), destArn: arnFor('dest') };
}

/** Fires due timers (the task runner) and lets the store calls they start finish. */
async function run(h: Harness, ms = 0) {
  h.clock.advance(ms);
  for (let i = 0; i < 3; i++) await settle();
}

const decode = (handle: string) => JSON.parse(Buffer.from(handle, 'base64url').toString('utf8')) as { taskId: string; sourceArn: string };

describe('StartMessageMoveTask errors (spec §6.9)', () => {
  it('a source that is no queue\'s DLQ: InvalidParameterValue (AWS-rec test_source_needs_redrive_policy)', async () => {
    const { h, destArn } = await pipe(0);
    await makeQueue(h, 'lonely');
    await rejects(
      h.a.StartMessageMoveTask(ctx, { SourceArn: arnFor('lonely'), DestinationArn: destArn }),
      'InvalidParameterValue',
      'Source queue must be configured as a Dead Letter Queue.',
    );
    // The redrive source itself is not a DLQ either.
    await rejects(h.a.StartMessageMoveTask(ctx, { SourceArn: arnFor('src') }), 'InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.');
  });

  it('a missing source: ResourceNotFoundException naming SourceArn', async () => {
    const { h } = await pipe(0);
    for (const SourceArn of [arnFor('nope'), arnFor('dlq', { ...ctx, accountId: '111111111111' }), 'not-an-arn']) {
      await rejects(h.a.StartMessageMoveTask(ctx, { SourceArn }), 'ResourceNotFoundException', "The resource that you specified for the SourceArn parameter doesn't exist.");
    }
  });

  it('a missing destination: ResourceNotFoundException naming DestinationArn (AWS-rec test_destination_needs_to_exist)', async () => {
    const { h, dlqArn, destArn } = await pipe(1);
    await rejects(
      h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: `${destArn}doesntexist` }),
      'ResourceNotFoundException',
      "The resource that you specified for the DestinationArn parameter doesn't exist.",
    );
    assert.deepEqual(await list(h, dlqArn), [], 'no task was created');
  });

  it('SourceArn is required', async () => {
    const { h } = await pipe(0);
    await rejects(h.a.StartMessageMoveTask(ctx, {}), 'MissingParameter', 'The request must contain the parameter SourceArn.');
  });

  it('source and destination must be of the same type', async () => {
    const h = harness();
    await makeQueue(h, 'dlq.fifo', { FifoQueue: 'true' });
    await makeQueue(h, 'src.fifo', { FifoQueue: 'true', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnFor('dlq.fifo'), maxReceiveCount: 1 }) });
    await makeQueue(h, 'standard');
    await makeQueue(h, 'other.fifo', { FifoQueue: 'true' });
    await rejects(h.a.StartMessageMoveTask(ctx, { SourceArn: arnFor('dlq.fifo'), DestinationArn: arnFor('standard') }), 'InvalidParameterValue');
    await h.a.StartMessageMoveTask(ctx, { SourceArn: arnFor('dlq.fifo'), DestinationArn: arnFor('other.fifo') });
  });

  for (const rate of [0, -1, 501, 1.5]) {
    it(`refuses MaxNumberOfMessagesPerSecond ${rate} (≤ 500, spec §3)`, async () => {
      const { h, dlqArn, destArn } = await pipe(1);
      await rejects(h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn, MaxNumberOfMessagesPerSecond: rate }), 'InvalidParameterValue', /MaxNumberOfMessagesPerSecond/);
    });
  }
  for (const rate of [1, 500]) {
    it(`accepts MaxNumberOfMessagesPerSecond ${rate}`, async () => {
      const { h, dlqArn, destArn } = await pipe(1);
      await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn, MaxNumberOfMessagesPerSecond: rate });
      assert.equal((await list(h, dlqArn))[0].MaxNumberOfMessagesPerSecond, rate);
    });
  }

  it('one active task per source (AWS-rec test_start_multiple_move_tasks)', async () => {
    const { h, dlqArn, destArn } = await pipe(10);
    const { TaskHandle } = await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn, MaxNumberOfMessagesPerSecond: 1 });
    const busy = 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.';
    await rejects(h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn }), 'InvalidParameterValue', busy);
    // Still active while a cancel is under way.
    await h.a.CancelMessageMoveTask(ctx, { TaskHandle });
    assert.equal((await list(h, dlqArn))[0].Status, 'CANCELLING');
    await rejects(h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn }), 'InvalidParameterValue', busy);
    await run(h);
    assert.equal((await list(h, dlqArn))[0].Status, 'CANCELLED');
    await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn });
  });

  it('a task on another source does not count', async () => {
    const { h, dlqArn, destArn } = await pipe(2);
    await makeQueue(h, 'dlq2');
    await makeQueue(h, 'src2', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnFor('dlq2'), maxReceiveCount: 1 }) });
    await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn, MaxNumberOfMessagesPerSecond: 1 });
    await h.a.StartMessageMoveTask(ctx, { SourceArn: arnFor('dlq2'), DestinationArn: destArn });
  });

  it('the TaskHandle decodes to the task id (a UUID) and the source ARN (AWS-rec test_basic_move_task_workflow)', async () => {
    const { h, dlqArn, destArn } = await pipe(1);
    const { TaskHandle } = await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn });
    const doc = decode(TaskHandle);
    assert.match(doc.taskId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(doc.sourceArn, dlqArn);
  });
});

describe('CancelMessageMoveTask errors (AWS-rec snapshot texts)', () => {
  const handleOf = (taskId: string, sourceArn: string, encoding: BufferEncoding = 'base64url') =>
    Buffer.from(JSON.stringify({ taskId, sourceArn })).toString(encoding);

  it('a garbage handle: "Value for parameter TaskHandle is invalid." (AWS-rec test_cancel_with_invalid_task_handle)', async () => {
    const { h } = await pipe(0);
    for (const TaskHandle of ['foobared', handleOf('x', 'y').slice(0, 10), Buffer.from('{"taskId":1}').toString('base64url')]) {
      await rejects(h.a.CancelMessageMoveTask(ctx, { TaskHandle }), 'InvalidParameterValue', 'Value for parameter TaskHandle is invalid.');
    }
  });

  it('a handle naming an unknown source: ResourceNotFoundException for SourceArn (AWS-rec test_cancel_with_invalid_source_arn_in_task_handle)', async () => {
    const { h } = await pipe(0);
    const TaskHandle = handleOf('10f57157-fc38-4da9-a113-4de7e12d05dd', 'arn:aws:sqs:us-east-1:878966065785:test-queue-doesnt-exist-123456');
    await rejects(h.a.CancelMessageMoveTask(ctx, { TaskHandle }), 'ResourceNotFoundException', "The resource that you specified for the SourceArn parameter doesn't exist.");
  });

  it('a handle naming an unknown task: "Task does not exist." (AWS-rec test_cancel_with_invalid_task_id_in_task_handle)', async () => {
    const { h, dlqArn } = await pipe(0);
    await rejects(h.a.CancelMessageMoveTask(ctx, { TaskHandle: handleOf(randomUUID(), dlqArn) }), 'ResourceNotFoundException', 'Task does not exist.');
  });

  // localstack's AWS-validated tests build handles as standard, padded base64 of the same JSON
  // (tests/aws/services/sqs/test_sqs_move_task.py encode_move_task_handle); a handle in that spelling
  // must reach the task lookup rather than fail as malformed.
  it('accepts the standard, padded base64 spelling of a handle', async () => {
    const { h, dlqArn } = await pipe(0);
    const TaskHandle = handleOf('missing-task-1', dlqArn, 'base64');
    assert.match(TaskHandle, /=$/, 'the fixture really is padded');
    await rejects(h.a.CancelMessageMoveTask(ctx, { TaskHandle }), 'ResourceNotFoundException', 'Task does not exist.');
  });

  it('only a RUNNING task can be cancelled', async () => {
    const { h, dlqArn, destArn } = await pipe(2);
    const { TaskHandle } = await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn });
    await run(h);
    assert.equal((await list(h, dlqArn))[0].Status, 'COMPLETED');
    await rejects(h.a.CancelMessageMoveTask(ctx, { TaskHandle }), 'ResourceNotFoundException', 'Task does not exist.');
  });

  it('TaskHandle is required', async () => {
    const { h } = await pipe(0);
    await rejects(h.a.CancelMessageMoveTask(ctx, {}), 'MissingParameter', 'The request must contain the parameter TaskHandle.');
  });
});

describe('ListMessageMoveTasks', () => {
  it('shows a finished task as AWS does: no handle, no rate unless given (AWS-rec test_basic_move_task_workflow)', async () => {
    const { h, dlqArn, destArn } = await pipe(2);
    h.clock.advance(1_234);
    await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn });
    await run(h);
    assert.deepEqual(await list(h, dlqArn), [
      {
        ApproximateNumberOfMessagesMoved: 2,
        ApproximateNumberOfMessagesToMove: 2,
        DestinationArn: destArn,
        SourceArn: dlqArn,
        StartedTimestamp: T0 + 1_234,
        Status: 'COMPLETED',
      },
    ]);
  });

  it('shows a running task with its handle and rate (AWS-rec test_move_task_cancel "list-while")', async () => {
    const { h, dlqArn, destArn } = await pipe(10);
    const { TaskHandle } = await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn, MaxNumberOfMessagesPerSecond: 1 });
    assert.deepEqual(await list(h, dlqArn), [
      {
        ApproximateNumberOfMessagesMoved: 0,
        ApproximateNumberOfMessagesToMove: 10,
        DestinationArn: destArn,
        MaxNumberOfMessagesPerSecond: 1,
        SourceArn: dlqArn,
        StartedTimestamp: T0,
        Status: 'RUNNING',
        TaskHandle,
      },
    ]);
  });

  it('omits DestinationArn when the task moves messages back to their sources (AWS-rec test_move_task_workflow_with_default_destination)', async () => {
    const { h, dlqArn } = await pipe(2);
    await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn });
    await run(h);
    const [t] = await list(h, dlqArn);
    assert.deepEqual(Object.keys(t).sort(), ['ApproximateNumberOfMessagesMoved', 'ApproximateNumberOfMessagesToMove', 'SourceArn', 'StartedTimestamp', 'Status']);
  });

  it('lists newest first; MaxResults defaults to 1 and goes up to 10', async () => {
    const { h, dlqArn, destArn } = await pipe(1);
    for (let i = 0; i < 12; i++) {
      h.clock.advance(1_000);
      await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn });
      await run(h); // completes (nothing or one message to move)
    }
    const one = await list(h, dlqArn);
    assert.equal(one.length, 1);
    assert.equal(one[0].StartedTimestamp, T0 + 12_000);
    const ten = await list(h, dlqArn, 10);
    assert.deepEqual(ten.map((t) => t.StartedTimestamp), Array.from({ length: 10 }, (_, i) => T0 + (12 - i) * 1_000));
    for (const bad of [0, 11]) {
      await rejects(h.a.ListMessageMoveTasks(ctx, { SourceArn: dlqArn, MaxResults: bad }), 'InvalidParameterValue', /MaxResults/);
    }
  });

  it('newest first even when two tasks started in the same millisecond', async () => {
    const { h, dlqArn, destArn } = await pipe(0);
    await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn });
    await run(h); // completes at once: nothing to move
    const second = await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn });
    const [newest] = await list(h, dlqArn);
    assert.equal(newest.TaskHandle, second.TaskHandle);
    assert.equal(newest.DestinationArn, undefined);
  });

  it('lists only the tasks of the given source; SourceArn is required and must exist', async () => {
    const { h, dlqArn, destArn } = await pipe(1);
    await makeQueue(h, 'dlq2');
    await makeQueue(h, 'src2', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnFor('dlq2'), maxReceiveCount: 1 }) });
    await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn });
    assert.deepEqual(await list(h, arnFor('dlq2'), 10), []);
    assert.equal((await list(h, dlqArn, 10)).length, 1);
    await rejects(h.a.ListMessageMoveTasks(ctx, {}), 'MissingParameter', 'The request must contain the parameter SourceArn.');
    await rejects(h.a.ListMessageMoveTasks(ctx, { SourceArn: arnFor('nope') }), 'ResourceNotFoundException', "The resource that you specified for the SourceArn parameter doesn't exist.");
  });

  it('ApproximateNumberOfMessagesToMove is the visible count captured at start', async () => {
    const { h, dlq, dlqArn, destArn } = await pipe(4);
    await receive(h, dlq, { MaxNumberOfMessages: 1, VisibilityTimeout: 60 }); // one in flight: not counted
    await h.a.StartMessageMoveTask(ctx, { SourceArn: dlqArn, DestinationArn: destArn, MaxNumberOfMessagesPerSecond: 1 });
    await h.a.SendMessage(ctx, { QueueUrl: dlq, MessageBody: 'arrived later' });
    assert.equal((await list(h, dlqArn))[0].ApproximateNumberOfMessagesToMove, 3);
  });
});

// Conformance through the aws CLI v2 from Debian (/usr/bin/aws, not a pyenv shim that may come
// first on PATH) with --endpoint-url and credentials from the environment only: the everyday
// commands, their JSON output, and how a service error reaches the shell (exit code, message).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { md5Hex, md5OfAttributes } from './attribute-md5.js';
import { AWS_CLI, runAwsCli, startConformanceServer, type RunningServer } from './server.js';

const aws = (...args: string[]) => runAwsCli(server.endpoint, 'sqs', args);

const AWS = AWS_CLI;
const missing = existsSync(AWS) ? undefined : `${AWS} is not installed (Debian package awscli)`;

let server: RunningServer;
before(async () => {
  if (!missing) server = await startConformanceServer();
});
after(async () => {
  await server?.close();
});


/** Runs a command that must succeed and parses its JSON output ({} when it prints nothing). */
async function ok(...args: string[]): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await aws(...args);
  assert.equal(r.code, 0, `aws sqs ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : {};
}

describe('aws CLI v2 (/usr/bin/aws)', { skip: missing }, () => {
  let url: string;
  let protocol: string;

  it('speaks a known protocol (reported from --debug)', async (t) => {
    const r = await aws('list-queues', '--debug');
    assert.equal(r.code, 0, r.stderr);
    const version = /aws-cli\/([\d.]+)/.exec(r.stderr)?.[1];
    protocol = /'body': \{'Action': 'ListQueues'/.test(r.stderr) ? 'query' : /AmazonSQS\.ListQueues/i.test(r.stderr) ? 'json' : 'unknown';
    t.diagnostic(`aws-cli ${version}, protocol ${protocol}`);
    assert.ok(version, 'the CLI identifies itself');
    assert.notEqual(protocol, 'unknown', 'the debug log shows a Query or JSON request');
  });

  it('create-queue with attributes and tags, get-queue-attributes, list-queues', async () => {
    const created = await ok('create-queue', '--queue-name', 'cli-orders', '--attributes', 'VisibilityTimeout=25,DelaySeconds=0', '--tags', 'team=core,env=test');
    url = created.QueueUrl;
    assert.equal(url, `${server.endpoint}/000000000000/cli-orders`);
    const { Attributes } = await ok('get-queue-attributes', '--queue-url', url, '--attribute-names', 'All');
    assert.equal(Attributes.VisibilityTimeout, '25');
    assert.equal(Attributes.QueueArn, 'arn:aws:sqs:us-east-1:000000000000:cli-orders');
    assert.equal(Attributes.ApproximateNumberOfMessages, '0');
    assert.deepEqual((await ok('list-queue-tags', '--queue-url', url)).Tags, { team: 'core', env: 'test' });
    assert.deepEqual((await ok('list-queues', '--queue-name-prefix', 'cli-')).QueueUrls, [url]);
    assert.deepEqual(await ok('get-queue-url', '--queue-name', 'cli-orders'), { QueueUrl: url });
  });

  it('send-message with --message-attributes, receive-message, delete-message', async () => {
    const attributes = {
      color: { DataType: 'String', StringValue: 'blue ✓' },
      count: { DataType: 'Number', StringValue: '7' },
      blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 255]).toString('base64') },
    };
    const body = 'hello from the CLI — ünïcode';
    const sent = await ok('send-message', '--queue-url', url, '--message-body', body, '--message-attributes', JSON.stringify(attributes));
    assert.equal(sent.MD5OfMessageBody, md5Hex(body));
    assert.equal(sent.MD5OfMessageAttributes, md5OfAttributes({
      color: attributes.color, count: attributes.count, blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2, 255]) },
    }));

    const got = await ok('receive-message', '--queue-url', url, '--message-attribute-names', 'All', '--attribute-names', 'All', '--max-number-of-messages', '10', '--wait-time-seconds', '1');
    assert.equal(got.Messages?.length, 1);
    const [m] = got.Messages;
    assert.equal(m.MessageId, sent.MessageId);
    assert.equal(m.Body, body);
    assert.equal(m.MD5OfBody, md5Hex(body));
    assert.equal(m.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
    assert.deepEqual(m.MessageAttributes, attributes, 'the CLI prints binary values base64, as sent');
    assert.equal(m.Attributes.ApproximateReceiveCount, '1');

    const counts = (await ok('get-queue-attributes', '--queue-url', url, '--attribute-names', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible')).Attributes;
    assert.deepEqual(counts, { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '1' });
    assert.deepEqual(await ok('delete-message', '--queue-url', url, '--receipt-handle', m.ReceiptHandle), {}, 'delete prints nothing');
    const after = (await ok('get-queue-attributes', '--queue-url', url, '--attribute-names', 'ApproximateNumberOfMessagesNotVisible')).Attributes;
    assert.deepEqual(after, { ApproximateNumberOfMessagesNotVisible: '0' });
    assert.deepEqual(await ok('receive-message', '--queue-url', url), {}, 'an empty receive prints nothing');
  });

  it('reports service errors with exit code 254 and the query error code', async () => {
    const gone = await aws('get-queue-url', '--queue-name', 'cli-no-such-queue');
    assert.equal(gone.code, 254);
    assert.equal(gone.stdout, '');
    const wording = protocol === 'query' ? 'The specified queue does not exist for this wsdl version.' : 'The specified queue does not exist.';
    assert.equal(gone.stderr.trim(), `An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation: ${wording}`);

    const conflict = await aws('create-queue', '--queue-name', 'cli-orders', '--attributes', 'VisibilityTimeout=26');
    assert.equal(conflict.code, 254);
    assert.match(conflict.stderr, /An error occurred \(QueueAlreadyExists\) when calling the CreateQueue operation: .*VisibilityTimeout/);

    const tooMany = await aws('receive-message', '--queue-url', url, '--max-number-of-messages', '11');
    assert.equal(tooMany.code, 254);
    assert.match(tooMany.stderr, /An error occurred \(InvalidParameterValue\) when calling the ReceiveMessage operation: Value 11 for parameter MaxNumberOfMessages is invalid/);

    const badHandle = await aws('delete-message', '--queue-url', url, '--receipt-handle', 'garbage');
    assert.equal(badHandle.code, 254);
    assert.match(badHandle.stderr, /An error occurred \(ReceiptHandleIsInvalid\) when calling the DeleteMessage operation/);
  });

  it('delete-queue removes it from list-queues', async () => {
    assert.deepEqual(await ok('delete-queue', '--queue-url', url), {});
    assert.equal((await ok('list-queues', '--queue-name-prefix', 'cli-')).QueueUrls, undefined);
    const r = await aws('get-queue-attributes', '--queue-url', url);
    assert.equal(r.code, 254);
    assert.match(r.stderr, /AWS\.SimpleQueueService\.NonExistentQueue/);
  });
});

// SNS through Debian's aws CLI v2 (/usr/bin/aws): the everyday commands with shorthand and JSON
// arguments, their JSON output, and how an SNS error reaches the shell (exit 254, the
// "An error occurred (NotFound) when calling the Publish operation: …" line).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { AWS_CLI, region, runAwsCli, startConformanceServer, type RunningServer } from './server.js';

const aws = (service: string, ...args: string[]) => runAwsCli(server.endpoint, service, args);

const AWS = AWS_CLI;
const missing = existsSync(AWS) ? undefined : `${AWS} is not installed (Debian package awscli)`;

let server: RunningServer;
before(async () => {
  if (!missing) server = await startConformanceServer();
});
after(async () => {
  await server?.close();
});


// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function ok(service: string, ...args: string[]): Promise<Record<string, any>> {
  const r = await aws(service, ...args);
  assert.equal(r.code, 0, `aws ${service} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : {};
}

describe('SNS via aws CLI v2', { skip: missing }, () => {
  const tag = `cli-${process.pid}`;
  it('create, subscribe a queue, publish, receive, list, delete', async () => {
    const { TopicArn } = await ok('sns', 'create-topic', '--name', `${tag}-t`, '--attributes', 'DisplayName=CLI', '--tags', 'Key=team,Value=ops');
    assert.equal(TopicArn, `arn:aws:sns:${region}:000000000000:${tag}-t`);
    const { QueueUrl } = await ok('sqs', 'create-queue', '--queue-name', `${tag}-q`);
    const qArn = `arn:aws:sqs:${region}:000000000000:${tag}-q`;
    const { SubscriptionArn } = await ok('sns', 'subscribe', '--topic-arn', TopicArn, '--protocol', 'sqs', '--notification-endpoint', qArn, '--attributes', '{"RawMessageDelivery":"true"}');
    assert.ok(SubscriptionArn.startsWith(`${TopicArn}:`));
    const pub = await ok('sns', 'publish', '--topic-arn', TopicArn, '--message', 'from the shell', '--message-attributes', '{"source":{"DataType":"String","StringValue":"cli"}}');
    assert.match(pub.MessageId, /^[0-9a-f-]{36}$/);
    const got = await ok('sqs', 'receive-message', '--queue-url', QueueUrl, '--message-attribute-names', 'All');
    assert.equal(got.Messages[0].Body, 'from the shell');
    assert.deepEqual(got.Messages[0].MessageAttributes.source, { StringValue: 'cli', DataType: 'String' });

    const attrs = await ok('sns', 'get-topic-attributes', '--topic-arn', TopicArn);
    assert.equal(attrs.Attributes.DisplayName, 'CLI');
    assert.equal(attrs.Attributes.SubscriptionsConfirmed, '1');
    const subs = await ok('sns', 'list-subscriptions-by-topic', '--topic-arn', TopicArn);
    assert.equal(subs.Subscriptions[0].Endpoint, qArn);
    assert.deepEqual((await ok('sns', 'list-tags-for-resource', '--resource-arn', TopicArn)).Tags, [{ Key: 'team', Value: 'ops' }]);
    const batch = await ok('sns', 'publish-batch', '--topic-arn', TopicArn, '--publish-batch-request-entries', 'Id=a,Message=one', 'Id=b,Message=two');
    assert.deepEqual(batch.Successful.map((s: { Id: string }) => s.Id), ['a', 'b']);
    await ok('sns', 'unsubscribe', '--subscription-arn', SubscriptionArn);
    await ok('sns', 'delete-topic', '--topic-arn', TopicArn);
    assert.ok(!(await ok('sns', 'list-topics')).Topics.some((t: { TopicArn: string }) => t.TopicArn === TopicArn));
  });

  it('reports SNS errors the way the CLI prints them', async () => {
    const r = await aws('sns', 'publish', '--topic-arn', `arn:aws:sns:${region}:000000000000:${tag}-missing`, '--message', 'x');
    assert.equal(r.code, 254);
    assert.match(r.stderr, /An error occurred \(NotFound\) when calling the Publish operation: Topic does not exist/);
    const bad = await aws('sns', 'create-topic', '--name', 'bad name');
    assert.equal(bad.code, 254);
    assert.match(bad.stderr, /\(InvalidParameter\) when calling the CreateTopic operation: Invalid parameter: Topic Name/);
  });
});

// HTTP/S subscribers end to end against a real Pier and a local endpoint: the confirmation flow
// (SubscribeURL pointing back at Pier), signed Notification POSTs with the x-amz-sns-* headers
// (AWS-recorded header sets in LocalStack's test_sns.snapshot.json, test_subscribe_external_http_endpoint),
// raw delivery, and the UnsubscribeConfirmation. Signatures verify against the certificate Pier
// serves at SigningCertURL.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfirmSubscriptionCommand, CreateTopicCommand, PublishCommand, SetSubscriptionAttributesCommand, SNSClient, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { defaultConfig, startServer, type PierServer } from '../../src/index.js';
import { startEndpoint, verify, type Endpoint } from './sns-endpoint.js';

describe('SNS HTTP subscriber', () => {
  let server: PierServer;
  let dir: string;
  let endpoint: Endpoint;
  let sns: SNSClient;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pier-sns-http-'));
    server = await startServer({ ...defaultConfig, port: 0, dataDir: dir, logLevel: 'silent' });
    endpoint = await startEndpoint();
    sns = new SNSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDHTTP', secretAccessKey: 's' } });
  });
  after(async () => {
    sns.destroy();
    await endpoint.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('confirms through the SubscribeURL, then delivers signed notifications and an UnsubscribeConfirmation', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'http-topic' }));
    const sub = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint.url }));
    assert.equal(sub.SubscriptionArn, 'pending confirmation');

    const confirm = await endpoint.nth(1);
    assert.equal(confirm.headers['x-amz-sns-message-type'], 'SubscriptionConfirmation');
    assert.equal(confirm.headers['x-amz-sns-topic-arn'], TopicArn);
    assert.equal(confirm.headers['content-type'], 'text/plain; charset=UTF-8');
    assert.equal(confirm.headers['user-agent'], 'Amazon Simple Notification Service Agent');
    const c = JSON.parse(confirm.body) as Record<string, string>;
    assert.equal(confirm.headers['x-amz-sns-message-id'], c.MessageId);
    assert.deepEqual(Object.keys(c), ['Type', 'MessageId', 'Token', 'TopicArn', 'Message', 'SubscribeURL', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL']);
    assert.equal(c.Message, `You have chosen to subscribe to the topic ${TopicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`);
    assert.ok(c.SubscribeURL!.startsWith(`${server.endpoint}/?Action=ConfirmSubscription&TopicArn=${TopicArn}&Token=`));
    assert.ok(await verify(c), 'the confirmation verifies against the served certificate');
    assert.equal(await verify({ ...c, Token: `${c.Token}x` }), false, 'and a tampered one does not');

    // The subscriber confirms by GET on the SubscribeURL, unsigned, as real subscribers do.
    const page = await fetch(c.SubscribeURL!);
    assert.equal(page.status, 200);
    const xml = await page.text();
    const arn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(xml)?.[1];
    assert.ok(arn?.startsWith(`${TopicArn}:`), xml);
    // Confirming again with the same token is harmless and names the same subscription.
    assert.equal((await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: c.Token }))).SubscriptionArn, arn);

    const pub = await sns.send(new PublishCommand({ TopicArn, Message: 'order 42 accepted', Subject: 'order' }));
    const note = await endpoint.nth(2);
    assert.equal(note.headers['x-amz-sns-message-type'], 'Notification');
    assert.equal(note.headers['x-amz-sns-subscription-arn'], arn);
    assert.equal(note.headers['x-amz-sns-message-id'], pub.MessageId);
    const n = JSON.parse(note.body) as Record<string, string>;
    assert.equal(n.Message, 'order 42 accepted');
    assert.equal(n.Subject, 'order');
    assert.equal(n.UnsubscribeURL, `${server.endpoint}/?Action=Unsubscribe&SubscriptionArn=${arn}`);
    assert.ok(await verify(n));

    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: 'RawMessageDelivery', AttributeValue: 'true' }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'raw body' }));
    const raw = await endpoint.nth(3);
    assert.equal(raw.body, 'raw body');
    assert.equal(raw.headers['x-amz-sns-rawdelivery'], 'true');

    await sns.send(new UnsubscribeCommand({ SubscriptionArn: arn }));
    const bye = await endpoint.nth(4);
    assert.equal(bye.headers['x-amz-sns-message-type'], 'UnsubscribeConfirmation');
    const u = JSON.parse(bye.body) as Record<string, string>;
    assert.equal(u.Type, 'UnsubscribeConfirmation');
    assert.ok(await verify(u));
  });

  it('ReturnSubscriptionArn gives the ARN of a pending subscription [AWS-rec test_http_subscription_response]', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'http-topic-2' }));
    const sub = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${endpoint.url}?two`, ReturnSubscriptionArn: true }));
    assert.ok(sub.SubscriptionArn?.startsWith(`${TopicArn}:`));
  });

  it('serves the certificate only at its own path', async () => {
    assert.equal((await fetch(`${server.endpoint}/SimpleNotificationService-0000.pem`)).status, 404);
    const good = await fetch(`${server.endpoint}${server.sns.signer.certificatePath}`);
    assert.equal(good.status, 200);
    assert.match(await good.text(), /^-----BEGIN CERTIFICATE-----/);
  });
});

// Publish and PublishBatch into queues on the memory engine: the Notification envelope, raw
// delivery, MessageStructure=json, filter policies, DLQ redrive, FIFO topics, and the validation
// texts. [AWS-rec] = recorded against AWS in LocalStack's tests/aws/services/sns/test_sns.snapshot.json.
import assert from 'node:assert/strict';
import { createHash, createVerify, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { ctx } from './helpers.js';
import { drain, queueArn, snsHarness, snsRejects, topicWithQueue } from './sns-helpers.js';

describe('SNS publish to SQS', () => {
  it('delivers the Notification envelope in AWS field order, signed [AWS-rec test_publish_sqs_from_sns, SNS DG sns-verify-signature-of-message]', async () => {
    const h = await snsHarness();
    const { TopicArn, QueueUrl, SubscriptionArn } = await topicWithQueue(h);
    const { MessageId } = await h.n.Publish(ctx, { TopicArn, Message: 'hello', MessageAttributes: { attr1: { DataType: 'Number', StringValue: '99.12' }, bin: { DataType: 'Binary', BinaryValue: 'AgME' } } });
    const [m] = await drain(h, QueueUrl);
    assert.ok(m);
    assert.equal(m.MessageAttributes, undefined, 'non-raw delivery carries no SQS message attributes');
    assert.match(m.Body, /^\{\n {2}"Type" : "Notification",\n/, 'Jackson-style layout as AWS writes it');
    const env = JSON.parse(m.Body);
    assert.deepEqual(Object.keys(env), ['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
    assert.equal(env.MessageId, MessageId);
    assert.equal(env.Timestamp, new Date(h.clock.now()).toISOString());
    assert.equal(env.UnsubscribeURL, `${ctx.baseUrl}/?Action=Unsubscribe&SubscriptionArn=${SubscriptionArn}`);
    assert.deepEqual(env.MessageAttributes, { attr1: { Type: 'Number', Value: '99.12' }, bin: { Type: 'Binary', Value: 'AgME' } });
    assert.equal(env.SigningCertURL, `${ctx.baseUrl}${h.sns.signer.certificatePath}`);
    // Verify exactly as a subscriber does: canonical string, SHA1withRSA, the served certificate.
    const canonical = `Message\nhello\nMessageId\n${MessageId}\nTimestamp\n${env.Timestamp}\nTopicArn\n${TopicArn}\nType\nNotification\n`;
    const cert = new X509Certificate(h.sns.signer.certificatePem);
    assert.ok(createVerify('RSA-SHA1').update(canonical).verify(cert.publicKey, env.Signature, 'base64'));
    assert.ok(!createVerify('RSA-SHA1').update(canonical.replace('hello', 'hellO')).verify(cert.publicKey, env.Signature, 'base64'));
  });

  it('Subject appears only when given and is signed; SignatureVersion 2 signs with SHA256 [AWS-rec test_publish_sqs_verify_signature[2]]', async () => {
    const h = await snsHarness();
    const { TopicArn, QueueUrl } = await topicWithQueue(h);
    await h.n.SetTopicAttributes(ctx, { TopicArn, AttributeName: 'SignatureVersion', AttributeValue: '2' });
    const { MessageId } = await h.n.Publish(ctx, { TopicArn, Message: 'm', Subject: 'Hi there' });
    const env = JSON.parse((await drain(h, QueueUrl))[0]!.Body);
    assert.deepEqual(Object.keys(env).slice(0, 5), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message']);
    assert.equal(env.SignatureVersion, '2');
    const canonical = `Message\nm\nMessageId\n${MessageId}\nSubject\nHi there\nTimestamp\n${env.Timestamp}\nTopicArn\n${TopicArn}\nType\nNotification\n`;
    assert.ok(createVerify('RSA-SHA256').update(canonical).verify(new X509Certificate(h.sns.signer.certificatePem).publicKey, env.Signature, 'base64'));
  });

  it('raw delivery: body verbatim, SNS attributes become SQS attributes with the AWS MD5 [AWS-rec test_publish_sqs_from_sns]', async () => {
    const h = await snsHarness();
    const { TopicArn, QueueUrl } = await topicWithQueue(h, 't1', 'q1', { RawMessageDelivery: 'true' });
    await h.n.Publish(ctx, { TopicArn, Message: 'Test msg', MessageAttributes: { attr1: { DataType: 'Number', StringValue: '99.12' } } });
    const [m] = await drain(h, QueueUrl);
    assert.equal(m!.Body, 'Test msg');
    assert.deepEqual(m!.MessageAttributes, { attr1: { DataType: 'Number', StringValue: '99.12' } });
    assert.equal(m!.MD5OfMessageAttributes, 'd302007e9aa062660afc85fd0a482472'); // the value AWS returned
  });

  it('MessageStructure=json: sqs key, else default; errors [AWS-rec test_message_structure_json_to_sqs, test_message_structure_json_exc]', async () => {
    const h = await snsHarness();
    const { TopicArn, QueueUrl } = await topicWithQueue(h, 't1', 'q1', { RawMessageDelivery: 'true' });
    await h.n.Publish(ctx, { TopicArn, MessageStructure: 'json', Message: JSON.stringify({ default: 'd', sqs: '{"field": "value"}' }) });
    await h.n.Publish(ctx, { TopicArn, MessageStructure: 'json', Message: JSON.stringify({ default: 'default field', http: 'h' }) });
    assert.deepEqual((await drain(h, QueueUrl)).map((m) => m.Body), ['{"field": "value"}', 'default field']);
    await snsRejects(h.n.Publish(ctx, { TopicArn, MessageStructure: 'json', Message: '{"sqs":"x"}' }), 'InvalidParameter', 'Invalid parameter: Message Structure - No default entry in JSON message body');
    await snsRejects(h.n.Publish(ctx, { TopicArn, MessageStructure: 'json', Message: '{not json' }), 'InvalidParameter', 'Invalid parameter: Message Structure - JSON message body failed to parse');
  });

  it('filter policies decide per subscription, on attributes or body', async () => {
    const h = await snsHarness();
    const { TopicArn, QueueUrl: points } = await topicWithQueue(h, 't1', 'points', { FilterPolicy: '{"event":["order_accepted"]}' });
    const bodyQ = (await h.a.CreateQueue(ctx, { QueueName: 'marketing' })).QueueUrl;
    await h.n.Subscribe(ctx, { TopicArn, Protocol: 'sqs', Endpoint: queueArn('marketing'), Attributes: { FilterPolicyScope: 'MessageBody', FilterPolicy: '{"total":[{"numeric":[">=",100]}]}' } });
    const ev = (event: string) => ({ event: { DataType: 'String', StringValue: event } });
    await h.n.Publish(ctx, { TopicArn, Message: '{"total":150}', MessageAttributes: ev('order_accepted') });
    await h.n.Publish(ctx, { TopicArn, Message: '{"total":50}', MessageAttributes: ev('order_cancelled') });
    assert.deepEqual((await drain(h, points)).map((m) => JSON.parse(m.Body).Message), ['{"total":150}']);
    assert.deepEqual((await drain(h, bodyQ)).map((m) => JSON.parse(m.Body).Message), ['{"total":150}']);
  });

  it('a queue that refuses goes to the RedrivePolicy DLQ, else is dropped [AWS-rec test_redrive_policy_sqs_queue_subscription]', async () => {
    const h = await snsHarness();
    const { TopicArn } = await h.n.CreateTopic(ctx, { Name: 't' });
    const dlq = (await h.a.CreateQueue(ctx, { QueueName: 'dlq' })).QueueUrl;
    await h.n.Subscribe(ctx, { TopicArn, Protocol: 'sqs', Endpoint: queueArn('deleted'), Attributes: { RawMessageDelivery: 'true', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn('dlq') }) } });
    await h.n.Subscribe(ctx, { TopicArn, Protocol: 'sqs', Endpoint: queueArn('deleted-too') });
    await h.n.Publish(ctx, { TopicArn, Message: 'test_dlq', MessageAttributes: { attr1: { DataType: 'Number', StringValue: '111' } } });
    const [m] = await drain(h, dlq);
    assert.equal(m!.Body, 'test_dlq');
    assert.deepEqual(m!.MessageAttributes, { attr1: { DataType: 'Number', StringValue: '111' } });
    assert.ok(h.warnings.some((w) => w.includes('dropped')), 'the DLQ-less failure is logged');
  });

  it('a standard topic forwards MessageGroupId to standard queues [AWS-rec test_publish_message_group_id]', async () => {
    const h = await snsHarness();
    const { TopicArn, QueueUrl } = await topicWithQueue(h);
    await h.n.Publish(ctx, { TopicArn, Message: 'm', MessageGroupId: 'my-group-id-1' });
    assert.equal((await drain(h, QueueUrl))[0]!.Attributes?.MessageGroupId, 'my-group-id-1');
    await snsRejects(h.n.Publish(ctx, { TopicArn, Message: 'm', MessageDeduplicationId: 'd' }), 'InvalidParameter', 'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
  });

  it('validates the message and its attributes with SNS texts [AWS-rec test_empty_sns_message, test_empty_or_wrong_message_attributes]', async () => {
    const h = await snsHarness();
    const { TopicArn } = await topicWithQueue(h);
    const attr = (name: string, v: object) => h.n.Publish(ctx, { TopicArn, Message: 'm', MessageAttributes: { [name]: v as never } });
    await snsRejects(h.n.Publish(ctx, { TopicArn, Message: '' }), 'InvalidParameter', 'Invalid parameter: Empty message');
    await snsRejects(h.n.Publish(ctx, { TopicArn, Message: 'x'.repeat(262_145) }), 'InvalidParameter', 'Invalid parameter: Message too long');
    await h.n.Publish(ctx, { TopicArn, Message: 'x'.repeat(262_144) });
    await snsRejects(h.n.Publish(ctx, { TopicArn, Message: 'm', Subject: '' }), 'InvalidParameter', 'Invalid parameter: Subject');
    await snsRejects(attr('attr1', { DataType: 'String', StringValue: '' }), 'ParameterValueInvalid', "The message attribute 'attr1' must contain non-empty message attribute value for message attribute type 'String'.");
    await snsRejects(attr('attr1', { DataType: 'String', BinaryValue: 'AQ==' }), 'ParameterValueInvalid', "The message attribute 'attr1' with type 'String' must use field 'String'.");
    await snsRejects(attr('attr1', { DataType: 'Binary', StringValue: 'x' }), 'ParameterValueInvalid', "The message attribute 'attr1' with type 'Binary' must use field 'Binary'.");
    await snsRejects(attr('attr1', { DataType: 'Other', StringValue: 'x' }), 'ParameterValueInvalid', "The message attribute 'attr1' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.");
    await snsRejects(attr('attr1', { StringValue: 'x' }), 'ValidationError', "1 validation error detected: Value null at 'messageAttributes.attr1.member.dataType' failed to satisfy constraint: Member must not be null");
    await snsRejects(attr('a^b', { DataType: 'String', StringValue: 'x' }), 'ParameterValueInvalid', "Invalid non-alphanumeric character '#x5E' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.");
    await snsRejects(attr('.a', { DataType: 'String', StringValue: 'x' }), 'ParameterValueInvalid', "Invalid message attribute name starting with character '.' was found.");
    await snsRejects(attr('a..b', { DataType: 'String', StringValue: 'x' }), 'ParameterValueInvalid', "Message attribute name can not have successive '.' character.");
    await snsRejects(h.n.Publish(ctx, { TopicArn: TopicArn + 'x', Message: 'm' }), 'NotFound', 'Topic does not exist');
  });

  it('PublishBatch: whole-request checks, then one delivery per entry [AWS-rec test_publish_batch_exceptions, test_publish_batch_messages_from_sns_to_sqs]', async () => {
    const h = await snsHarness();
    const { TopicArn, QueueUrl } = await topicWithQueue(h, 't1', 'q1', { RawMessageDelivery: 'true' });
    const entries = (k: number) => Array.from({ length: k }, (_, i) => ({ Id: `e${i}`, Message: `m${i}` }));
    await snsRejects(h.n.PublishBatch(ctx, { TopicArn, PublishBatchRequestEntries: entries(11) }), 'TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.');
    await snsRejects(h.n.PublishBatch(ctx, { TopicArn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'x' }, { Id: 'a', Message: 'y' }] }), 'BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
    await snsRejects(h.n.PublishBatch(ctx, { TopicArn, PublishBatchRequestEntries: [] }), 'EmptyBatchRequest');
    await snsRejects(h.n.PublishBatch(ctx, { TopicArn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'x'.repeat(200_000) }, { Id: 'b', Message: 'x'.repeat(70_000) }] }), 'BatchRequestTooLong', 'The length of all the messages put together is more than the limit.');
    const out = await h.n.PublishBatch(ctx, { TopicArn, PublishBatchRequestEntries: entries(10) });
    assert.deepEqual(out.Successful.map((s) => s.Id), entries(10).map((e) => e.Id));
    assert.deepEqual(out.Failed, []);
    const got = [...(await drain(h, QueueUrl)), ...(await drain(h, QueueUrl))].map((m) => m.Body).sort();
    assert.deepEqual(got, entries(10).map((e) => e.Message).sort());
  });
});

describe('SNS FIFO topics', () => {
  it('carry group and dedup ids to FIFO queues; content dedup id is the SHA-256 [AWS-rec test_message_to_fifo_sqs]', async () => {
    const h = await snsHarness();
    const { TopicArn, QueueUrl } = await topicWithQueue(h, 't.fifo', 'q.fifo');
    await h.n.SetTopicAttributes(ctx, { TopicArn, AttributeName: 'ContentBasedDeduplication', AttributeValue: 'true' });
    const r = await h.n.Publish(ctx, { TopicArn, Message: 'Test', MessageGroupId: 'message-group-id-1' });
    assert.match(r.SequenceNumber!, /^\d{20}$/);
    const [m] = await drain(h, QueueUrl);
    assert.equal(m!.Attributes?.MessageGroupId, 'message-group-id-1');
    assert.equal(m!.Attributes?.MessageDeduplicationId, '532eaabd9574880dbf76b9b8cc00832c20a6ec113d682299550d7a6e0f345e25');
    assert.equal(createHash('sha256').update('Test').digest('hex'), m!.Attributes?.MessageDeduplicationId);
    const env = JSON.parse(m!.Body);
    // FIFO envelopes: SequenceNumber after MessageId, no signature fields (AWS-recorded).
    assert.deepEqual(Object.keys(env), ['Type', 'MessageId', 'SequenceNumber', 'TopicArn', 'Message', 'Timestamp', 'UnsubscribeURL']);
    assert.equal(env.SequenceNumber, r.SequenceNumber);
  });

  it('a duplicate within 5 minutes returns the original ids and delivers nothing [AWS-rec test_publish_batch_messages_from_fifo_topic_to_fifo_queue]', async () => {
    const h = await snsHarness();
    const { TopicArn, QueueUrl } = await topicWithQueue(h, 't.fifo', 'plain');
    const pub = () => h.n.Publish(ctx, { TopicArn, Message: 'm', MessageGroupId: 'g', MessageDeduplicationId: 'd1' });
    const first = await pub();
    h.clock.advance(4 * 60_000);
    assert.deepEqual(await pub(), first);
    assert.equal((await drain(h, QueueUrl)).length, 1, 'FIFO topics also deliver to standard queues (AWS-rec test_fifo_topic_to_regular_sqs)');
    h.clock.advance(60_001);
    const third = await pub();
    assert.notEqual(third.MessageId, first.MessageId);
    assert.ok(BigInt(third.SequenceNumber!) > BigInt(first.SequenceNumber!));
  });

  it('checks FIFO inputs [AWS-rec test_validations_for_fifo]', async () => {
    const h = await snsHarness();
    const { TopicArn } = await h.n.CreateTopic(ctx, { Name: 't.fifo', Attributes: { FifoTopic: 'true' } });
    await snsRejects(h.n.Publish(ctx, { TopicArn, Message: 'm' }), 'InvalidParameter', 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
    await snsRejects(h.n.Publish(ctx, { TopicArn, Message: 'm', MessageGroupId: 'g' }), 'InvalidParameter', 'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    await snsRejects(
      h.n.Subscribe(ctx, { TopicArn, Protocol: 'sqs', Endpoint: queueArn('q.fifo'), Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn('dlq') }) } }),
      'InvalidParameter',
      'Invalid parameter: Attributes Reason: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.',
    );
  });
});

// The SAM / CloudFormation subset: the seed's template as written, intrinsic functions, the
// resource types Pier applies, warnings for the ones it does not, and errors that name the key.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { DeclarationError, ENDPOINT_TOKEN } from '../../src/config/declarations.js';
import { loadTemplate } from '../../src/config/sam.js';

const FIXTURES = resolve(fileURLToPath(import.meta.url), '../../../../test/fixtures');
const dir = mkdtempSync(join(tmpdir(), 'pier-sam-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const scope = { accountId: '123456789012', region: 'eu-west-1' };
let n = 0;
const load = (text: string) => {
  const file = join(dir, `t${n++}.yaml`);
  writeFileSync(file, text);
  return loadTemplate(file, scope);
};

test("the seed's template: queue with DLQ, function with an SQS event of BatchSize 10, CodeUri beside the template", () => {
  const d = loadTemplate(join(FIXTURES, 'sam/template.yaml'), scope);
  assert.deepEqual(d.queues.map((q) => q.name), ['inventory-updates-dlq', 'inventory-updates']);
  assert.deepEqual(d.queues[1]!.attributes, { VisibilityTimeout: '60' });
  assert.deepEqual(d.queues[1]!.redrive, { deadLetterQueue: 'arn:aws:sqs:eu-west-1:123456789012:inventory-updates-dlq', maxReceiveCount: 3 });
  const fn = d.functions[0]!;
  assert.ok(fn.kind === 'module');
  assert.equal(fn.name, 'InventoryFunction');
  assert.equal(fn.codeDir, join(FIXTURES, 'sam/src'));
  assert.equal(fn.handler, 'app.handler');
  assert.equal(fn.timeoutSeconds, 10, 'from Globals.Function');
  assert.equal(fn.memoryMb, 256);
  assert.equal(fn.runtime, 'nodejs20.x');
  assert.deepEqual(fn.environment, {
    QUEUE_URL: `${ENDPOINT_TOKEN}/123456789012/inventory-updates`,
    DLQ_ARN: 'arn:aws:sqs:eu-west-1:123456789012:inventory-updates-dlq',
    STAGE: 'eu-west-1-local',
  });
  assert.deepEqual(d.mappings, [
    { functionName: 'InventoryFunction', queueArn: 'arn:aws:sqs:eu-west-1:123456789012:inventory-updates', batchSize: 10, maximumBatchingWindowSeconds: 0, reportBatchItemFailures: false, maximumConcurrency: undefined, enabled: true, filterPatterns: [] },
  ]);
  assert.equal(d.warnings.length, 1);
  assert.match(d.warnings[0]!, /resources not applied by Pier \(unsupported types\): InventoryFunctionRole \(AWS::IAM::Role\)/);
  assert.match(readFileSync(join(FIXTURES, 'sam/template.yaml'), 'utf8'), /BatchSize: 10/);
});

test('intrinsics: Sub with variables, Join, Select, Split, FindInMap, parameters and pseudo parameters', () => {
  const d = load(`
Parameters:
  Stage: { Type: String, Default: dev }
Mappings:
  Sizes: { dev: { batch: 5 } }
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub '\${Stage}-orders'
      Tags:
        - { Key: joined, Value: !Join ['-', [a, !Ref Stage, !Select [1, !Split [',', 'x,y,z']]]] }
        - { Key: sub, Value: !Sub ['\${A}/\${AWS::AccountId}/\${Q.QueueName}', { A: !Ref 'AWS::Region' }] }
        - { Key: literal, Value: !Sub '\${!NotAVar}' }
  F:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: worker
      Handler: index.handler
      Runtime: nodejs20.x
      Code: { ZipFile: "exports.handler = async () => 'inline';" }
  M:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Q.Arn
      FunctionName: !Ref F
      BatchSize: !FindInMap [Sizes, !Ref Stage, batch]
      FunctionResponseTypes: [ReportBatchItemFailures]
      ScalingConfig: { MaximumConcurrency: 4 }
      FilterCriteria: { Filters: [{ Pattern: '{"body":{"x":[1]}}' }] }
`);
  assert.equal(d.queues[0]!.name, 'dev-orders');
  assert.deepEqual(d.queues[0]!.tags, { joined: 'a-dev-y', sub: 'eu-west-1/123456789012/dev-orders', literal: '${NotAVar}' });
  assert.equal(d.functions[0]!.name, 'worker');
  const codeDir = d.functions[0]!.kind === 'module' ? d.functions[0]!.codeDir : '';
  assert.equal(readFileSync(join(codeDir, 'index.js'), 'utf8'), "exports.handler = async () => 'inline';", 'ZipFile is written as index.js');
  assert.deepEqual(d.mappings[0], {
    functionName: 'worker',
    queueArn: 'arn:aws:sqs:eu-west-1:123456789012:dev-orders',
    batchSize: 5,
    maximumBatchingWindowSeconds: 0,
    reportBatchItemFailures: true,
    maximumConcurrency: 4,
    enabled: true,
    filterPatterns: ['{"body":{"x":[1]}}'],
  });
});

test('topics, subscriptions, queue policies; non-SQS events and sources are warned about, not dropped', () => {
  const d = load(`
Resources:
  T: { Type: AWS::SNS::Topic, Properties: { TopicName: orders, Subscription: [{ Protocol: sqs, Endpoint: !GetAtt Q.Arn }] } }
  Q: { Type: AWS::SQS::Queue }
  P: { Type: AWS::SQS::QueuePolicy, Properties: { Queues: [!Ref Q], PolicyDocument: { Statement: [] } } }
  S:
    Type: AWS::SNS::Subscription
    Properties: { TopicArn: !Ref T, Protocol: sqs, Endpoint: !GetAtt Q.Arn, RawMessageDelivery: true, FilterPolicy: { kind: [big] } }
  F:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ./code
      Handler: a.b
      Events:
        Api: { Type: Api, Properties: { Path: /, Method: get } }
  K: { Type: AWS::Lambda::EventSourceMapping, Properties: { EventSourceArn: arn:aws:kinesis:eu-west-1:123456789012:stream/s, FunctionName: !Ref F } }
`);
  assert.deepEqual(d.topics.map((t) => t.name), ['orders']);
  assert.equal(d.queues[0]!.name, 'Q', 'a queue without QueueName is named by its logical id');
  assert.equal(d.queues[0]!.attributes.Policy, '{"Statement":[]}');
  assert.deepEqual(d.subscriptions.map((s) => [s.topic, s.protocol, s.endpoint, s.attributes]), [
    ['orders', 'sqs', 'arn:aws:sqs:eu-west-1:123456789012:Q', {}],
    ['orders', 'sqs', 'arn:aws:sqs:eu-west-1:123456789012:Q', { FilterPolicy: '{"kind":["big"]}', RawMessageDelivery: 'true' }],
  ]);
  assert.deepEqual(d.warnings, ['F.Events.Api: event type Api is not supported (only SQS); not applied', 'K: event source arn:aws:kinesis:eu-west-1:123456789012:stream/s is not an SQS queue; not applied']);
});

test('template errors name the file, line and key', () => {
  const cases: [string, RegExp][] = [
    ['Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: { Handler: a.b, CodeUri: { Bucket: b, Key: k } }\n', /t\d+\.yaml:4:\d+: Resources\.F\.Properties\.CodeUri: must be a local folder/],
    ['Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      RedrivePolicy: { deadLetterTargetArn: !GetAtt Nope.Arn, maxReceiveCount: 2 }\n', /t\d+\.yaml:5:\d+: .*GetAtt Nope\.Arn: not a supported attribute/],
    ['Resources:\n  Q: { Type: AWS::SQS::Queue, Properties: { QueueName: !If [c, a, b] } }\n', /Fn::If is not supported by Pier's template loader/],
    ['Resources:\n  Q: { Type: AWS::SQS::Queue }\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: .\n      Handler: a.b\n      Events:\n        E: { Type: SQS, Properties: { Queue: !GetAtt Q.Arn, ScalingConfig: { MaximumConcurrency: 1 } } }\n', /:9:\d+: .*ScalingConfig\.MaximumConcurrency: must be an integer from 2 to 1000, got 1/],
    ['Resources:\n  F: { Type: AWS::Serverless::Function, Properties: { Handler: a.b, CodeUri: ., Runtime: python3.12 } }\n', /:2:\d+: Resources\.F\.Properties\.Runtime: only Node\.js runtimes/],
  ];
  for (const [text, want] of cases) assert.throws(() => load(text), (e) => e instanceof DeclarationError && want.test(e.message), String(want));
});

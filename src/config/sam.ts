// `pier serve --template template.yaml`: the AWS SAM / CloudFormation subset that describes queues,
// topics and SQS-triggered functions: AWS::SQS::Queue, AWS::SQS::QueuePolicy, AWS::SNS::Topic,
// AWS::SNS::Subscription, AWS::Serverless::Function (SQS events; Globals.Function), AWS::Lambda::Function
// with local code, AWS::Lambda::EventSourceMapping. CodeUri/Code paths are relative to the
// template's folder. Resources of other types are listed in a warning, never silently dropped.
// Property names follow the CloudFormation resource reference and the SAM specification.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { functionProblems, mappingProblems } from '../functions/mapping-rules.js';
import type { FunctionSpec, MappingSpec } from '../functions/types.js';
import { Check, DeclarationError, type Declarations, emptyDeclarations, ENDPOINT_TOKEN, failIn, type Path, type Scope, SourceFile, snsArn, sqsArn } from './declarations.js';
import { cfnTags, evaluate, type Resolver } from './sam-intrinsics.js';

const SUPPORTED = ['AWS::SQS::Queue', 'AWS::SQS::QueuePolicy', 'AWS::SNS::Topic', 'AWS::SNS::Subscription', 'AWS::Serverless::Function', 'AWS::Lambda::Function', 'AWS::Lambda::EventSourceMapping'];
const QUEUE_ATTRIBUTES = ['DelaySeconds', 'MaximumMessageSize', 'MessageRetentionPeriod', 'ReceiveMessageWaitTimeSeconds', 'VisibilityTimeout', 'FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled', 'RedriveAllowPolicy'];
const TOPIC_ATTRIBUTES = ['DisplayName', 'FifoTopic', 'ContentBasedDeduplication', 'KmsMasterKeyId', 'SignatureVersion', 'TracingConfig'];

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}

export function loadTemplate(file: string, scope: Scope): Declarations {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DeclarationError(`cannot read template ${file}: ${(e as Error).message}`);
  }
  const src = new SourceFile(file, text, cfnTags);
  const fail = failIn(src, file);
  const c = new Check(fail);
  const top = c.object([], src.data);
  const baseDir = dirname(resolve(file));
  const raw = c.object(['Resources'], top.Resources);
  const resources = new Map<string, Resource>();
  for (const [id, r] of Object.entries(raw)) {
    const o = c.object(['Resources', id], r);
    resources.set(id, { Type: c.string(['Resources', id, 'Type'], o.Type), Properties: c.object(['Resources', id, 'Properties'], o.Properties) });
  }
  const parameters = c.object(['Parameters'], top.Parameters);
  const globals = c.object(['Globals', 'Function'], c.object(['Globals'], top.Globals).Function);

  // Physical names first (they may use pseudo parameters and parameters, not other resources).
  const names = new Map<string, string>();
  const pseudo: Record<string, string> = { 'AWS::Region': scope.region, 'AWS::AccountId': scope.accountId, 'AWS::StackName': 'pier', 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };
  const paramValue = (n: string) => (n in parameters ? String(c.object(['Parameters', n], parameters[n]).Default ?? '') : undefined);
  const early: Resolver = { ref: (n) => pseudo[n] ?? paramValue(n), getAtt: () => undefined, mappings: c.object(['Mappings'], top.Mappings) };
  const nameProp: Record<string, string> = { 'AWS::SQS::Queue': 'QueueName', 'AWS::SNS::Topic': 'TopicName', 'AWS::Serverless::Function': 'FunctionName', 'AWS::Lambda::Function': 'FunctionName' };
  for (const [id, r] of resources) {
    const prop = nameProp[r.Type];
    if (!prop) continue;
    const given = r.Properties[prop] === undefined ? undefined : evaluate(r.Properties[prop], ['Resources', id, 'Properties', prop], early, fail);
    const fifo = r.Properties.FifoQueue === true || r.Properties.FifoQueue === 'true' || r.Properties.FifoTopic === true || r.Properties.FifoTopic === 'true';
    names.set(id, given === undefined ? (fifo ? `${id}.fifo` : id) : String(given));
  }
  const resolver: Resolver = {
    mappings: early.mappings,
    ref: (n) => {
      if (n in pseudo || n in parameters) return early.ref(n);
      const r = resources.get(n);
      const name = names.get(n);
      if (!r || !name) return undefined;
      if (r.Type === 'AWS::SQS::Queue') return `${ENDPOINT_TOKEN}/${scope.accountId}/${name}`;
      if (r.Type === 'AWS::SNS::Topic') return snsArn(scope, name);
      return name; // functions: their name
    },
    getAtt: (id, attr) => {
      const r = resources.get(id);
      const name = names.get(id);
      if (!r || !name) return undefined;
      if (r.Type === 'AWS::SQS::Queue') return { Arn: sqsArn(scope, name), QueueName: name, QueueUrl: `${ENDPOINT_TOKEN}/${scope.accountId}/${name}` }[attr];
      if (r.Type === 'AWS::SNS::Topic') return { TopicArn: snsArn(scope, name), TopicName: name }[attr];
      if (r.Type.endsWith('Function')) return attr === 'Arn' ? `arn:aws:lambda:${scope.region}:${scope.accountId}:function:${name}` : undefined;
      return undefined;
    },
  };

  const d = emptyDeclarations();
  const unsupported: string[] = [];
  for (const [id, r] of resources) {
    const p: Path = ['Resources', id, 'Properties'];
    if (!SUPPORTED.includes(r.Type)) {
      unsupported.push(`${id} (${r.Type})`);
      continue;
    }
    const props = c.object(p, evaluate(r.Properties, p, resolver, fail));
    const name = names.get(id)!;
    switch (r.Type) {
      case 'AWS::SQS::Queue': {
        const attributes: Record<string, string> = {};
        for (const k of QUEUE_ATTRIBUTES) if (props[k] !== undefined) attributes[k] = typeof props[k] === 'object' ? JSON.stringify(props[k]) : String(props[k]);
        let redrive;
        if (props.RedrivePolicy !== undefined) {
          const rp = c.object([...p, 'RedrivePolicy'], typeof props.RedrivePolicy === 'string' ? parseJson(c, [...p, 'RedrivePolicy'], props.RedrivePolicy) : props.RedrivePolicy);
          redrive = { deadLetterQueue: c.string([...p, 'RedrivePolicy', 'deadLetterTargetArn'], rp.deadLetterTargetArn), maxReceiveCount: c.int([...p, 'RedrivePolicy', 'maxReceiveCount'], rp.maxReceiveCount, 1, 1000) };
        }
        d.queues.push({ name, attributes, tags: tagList(c, [...p, 'Tags'], props.Tags), redrive, at: id });
        break;
      }
      case 'AWS::SQS::QueuePolicy': {
        const urls = c.list([...p, 'Queues'], props.Queues).map((u, i) => c.string([...p, 'Queues', i], u));
        const policy = JSON.stringify(c.object([...p, 'PolicyDocument'], props.PolicyDocument));
        for (const url of urls) {
          const q = d.queues.find((x) => url.endsWith(`/${x.name}`));
          if (q) q.attributes.Policy = policy;
          else d.warnings.push(`${id}: queue ${url} is not declared before this policy in the template; policy not applied`);
        }
        break;
      }
      case 'AWS::SNS::Topic': {
        const attributes: Record<string, string> = {};
        for (const k of TOPIC_ATTRIBUTES) if (props[k] !== undefined) attributes[k] = typeof props[k] === 'object' ? JSON.stringify(props[k]) : String(props[k]);
        d.topics.push({ name, attributes, tags: tagList(c, [...p, 'Tags'], props.Tags), at: id });
        for (const [i, s] of c.list([...p, 'Subscription'], props.Subscription).entries()) {
          const so = c.object([...p, 'Subscription', i], s);
          d.subscriptions.push({ topic: name, protocol: c.string([...p, 'Subscription', i, 'Protocol'], so.Protocol), endpoint: c.string([...p, 'Subscription', i, 'Endpoint'], so.Endpoint), attributes: {}, at: id });
        }
        break;
      }
      case 'AWS::SNS::Subscription': {
        const attributes: Record<string, string> = {};
        for (const k of ['FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy', 'DeliveryPolicy']) {
          if (props[k] !== undefined) attributes[k] = typeof props[k] === 'object' ? JSON.stringify(props[k]) : String(props[k]);
        }
        const topicArn = c.string([...p, 'TopicArn'], props.TopicArn);
        d.subscriptions.push({ topic: topicArn.split(':').pop()!, protocol: c.string([...p, 'Protocol'], props.Protocol), endpoint: c.string([...p, 'Endpoint'], props.Endpoint), attributes, at: id });
        break;
      }
      case 'AWS::Serverless::Function':
      case 'AWS::Lambda::Function': {
        const merged = r.Type === 'AWS::Serverless::Function' ? mergeGlobals(c.object(['Globals', 'Function'], evaluate(globals, ['Globals', 'Function'], resolver, fail)), props) : props;
        d.functions.push(readFunction(c, p, name, merged, r.Type, baseDir));
        if (r.Type === 'AWS::Serverless::Function') {
          for (const [eventId, ev] of Object.entries(c.object([...p, 'Events'], merged.Events))) {
            const ep: Path = [...p, 'Events', eventId];
            const e = c.object(ep, ev);
            if (e.Type !== 'SQS') {
              d.warnings.push(`${id}.Events.${eventId}: event type ${String(e.Type)} is not supported (only SQS); not applied`);
              continue;
            }
            const ep2 = [...ep, 'Properties'];
            const ev2 = c.object(ep2, e.Properties);
            d.mappings.push(readMapping(c, ep2, name, { ...ev2, EventSourceArn: ev2.Queue }, 'Queue'));
          }
        }
        break;
      }
      case 'AWS::Lambda::EventSourceMapping': {
        const arn = c.string([...p, 'EventSourceArn'], props.EventSourceArn);
        if (!arn.startsWith('arn:aws:sqs:')) {
          d.warnings.push(`${id}: event source ${arn} is not an SQS queue; not applied`);
          break;
        }
        const fnRef = c.string([...p, 'FunctionName'], props.FunctionName);
        d.mappings.push(readMapping(c, p, fnRef.split(':').pop()!, props, 'EventSourceArn'));
        break;
      }
    }
  }
  if (unsupported.length) d.warnings.push(`${file}: resources not applied by Pier (unsupported types): ${unsupported.join(', ')}`);
  return d;
}

function tagList(c: Check, p: Path, v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [i, t] of c.list(p, v).entries()) {
    const o = c.object([...p, i], t);
    out[c.string([...p, i, 'Key'], o.Key)] = String(o.Value ?? '');
  }
  return out;
}

/** SAM Globals.Function: resource properties win; Environment.Variables merge. */
function mergeGlobals(globals: Record<string, unknown>, props: Record<string, unknown>): Record<string, unknown> {
  const vars = (o: Record<string, unknown>) => ((o.Environment as { Variables?: object } | undefined)?.Variables ?? {}) as Record<string, unknown>;
  return { ...globals, ...props, Environment: { Variables: { ...vars(globals), ...vars(props) } } };
}

function readFunction(c: Check, p: Path, name: string, props: Record<string, unknown>, type: string, baseDir: string): FunctionSpec {
  const handler = c.string([...p, 'Handler'], props.Handler);
  let codeDir: string;
  if (type === 'AWS::Serverless::Function') {
    if (props.InlineCode !== undefined) codeDir = inlineCode(name, c.string([...p, 'InlineCode'], props.InlineCode));
    else codeDir = resolve(baseDir, typeof props.CodeUri === 'string' ? props.CodeUri : c.fail([...p, 'CodeUri'], 'must be a local folder (S3 locations cannot run here)'));
  } else {
    const code = props.Code;
    if (typeof code === 'string') codeDir = resolve(baseDir, code);
    else if (code && typeof code === 'object' && typeof (code as { ZipFile?: unknown }).ZipFile === 'string') codeDir = inlineCode(name, (code as { ZipFile: string }).ZipFile);
    else c.fail([...p, 'Code'], 'must be a local folder or { ZipFile: inline code } (S3 and images cannot run here)');
  }
  const env = c.object([...p, 'Environment'], props.Environment);
  const fn: FunctionSpec = {
    name,
    kind: 'module',
    codeDir,
    handler,
    runtime: props.Runtime === undefined ? undefined : c.string([...p, 'Runtime'], props.Runtime),
    timeoutSeconds: props.Timeout === undefined ? 3 : c.int([...p, 'Timeout'], props.Timeout, 1, 900),
    memoryMb: props.MemorySize === undefined ? 128 : c.int([...p, 'MemorySize'], props.MemorySize, 128, 10_240),
    environment: c.stringMap([...p, 'Environment', 'Variables'], env.Variables),
    reservedConcurrency: props.ReservedConcurrentExecutions === undefined ? undefined : c.int([...p, 'ReservedConcurrentExecutions'], props.ReservedConcurrentExecutions, 0, 1000),
  };
  const keys: Record<string, string> = { handler: 'Handler', runtime: 'Runtime', timeoutSeconds: 'Timeout', memoryMb: 'MemorySize', name: 'FunctionName' };
  for (const problem of functionProblems(fn)) c.fail([...p, keys[problem.field] ?? problem.field], problem.message);
  return fn;
}

/** Inline code (ZipFile / InlineCode) is written to index.js in a folder of its own, as Lambda does. */
function inlineCode(name: string, code: string): string {
  const dir = join(tmpdir(), `pier-inline-${process.pid}`, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.js'), code);
  writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}\n');
  return dir;
}

function readMapping(c: Check, p: Path, functionName: string, props: Record<string, unknown>, arnKey: string): MappingSpec {
  const types = c.list([...p, 'FunctionResponseTypes'], props.FunctionResponseTypes).map((t, i) => c.string([...p, 'FunctionResponseTypes', i], t));
  for (const [i, t] of types.entries()) if (t !== 'ReportBatchItemFailures') c.fail([...p, 'FunctionResponseTypes', i], `must be ReportBatchItemFailures, got ${t}`);
  const scaling = c.object([...p, 'ScalingConfig'], props.ScalingConfig);
  const filters = c.list([...p, 'FilterCriteria', 'Filters'], c.object([...p, 'FilterCriteria'], props.FilterCriteria).Filters);
  const m: MappingSpec = {
    functionName,
    queueArn: c.string([...p, arnKey], props.EventSourceArn),
    batchSize: props.BatchSize === undefined ? 10 : c.int([...p, 'BatchSize'], props.BatchSize, 1, 10_000),
    maximumBatchingWindowSeconds: props.MaximumBatchingWindowInSeconds === undefined ? 0 : c.int([...p, 'MaximumBatchingWindowInSeconds'], props.MaximumBatchingWindowInSeconds, 0, 300),
    reportBatchItemFailures: types.length > 0,
    // AWS's range for MaximumConcurrency is 2–1000 (Lambda API ScalingConfig).
    maximumConcurrency: scaling.MaximumConcurrency === undefined ? undefined : c.int([...p, 'ScalingConfig', 'MaximumConcurrency'], scaling.MaximumConcurrency, 2, 1000),
    enabled: props.Enabled === undefined ? true : c.bool([...p, 'Enabled'], props.Enabled),
    filterPatterns: filters.map((f, i) => {
      const pattern = c.object([...p, 'FilterCriteria', 'Filters', i], f).Pattern;
      return typeof pattern === 'string' ? pattern : JSON.stringify(c.object([...p, 'FilterCriteria', 'Filters', i, 'Pattern'], pattern));
    }),
  };
  const keys: Record<string, string> = { batchSize: 'BatchSize', maximumBatchingWindowSeconds: 'MaximumBatchingWindowInSeconds', queueArn: arnKey };
  const fifo = m.queueArn.endsWith('.fifo') || undefined;
  for (const problem of mappingProblems(m, fifo)) c.fail([...p, keys[problem.field] ?? problem.field], problem.message);
  return m;
}

function parseJson(c: Check, p: Path, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return c.fail(p, 'is not valid JSON');
  }
}

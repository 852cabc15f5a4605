// `pier serve --config pier.config.yaml`: Pier's own declarative file (YAML or JSON; the schema is
// pier-config.schema.json beside this file). Declares queues (attributes, tags, a redrive policy
// by queue name), topics, subscriptions (filter policies, raw delivery) and functions with their
// SQS event sources. Paths (codeUri) are relative to the file's folder. Every error names the key.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { functionProblems, mappingProblems } from '../functions/mapping-rules.js';
import type { FunctionSpec, MappingSpec } from '../functions/types.js';
import { Check, DeclarationError, type Declarations, emptyDeclarations, type Fail, failIn, type Path, type Scope, SourceFile, sqsArn } from './declarations.js';

const TOP = ['queues', 'topics', 'subscriptions', 'functions'] as const;
const QUEUE = ['attributes', 'tags', 'redrivePolicy'] as const;
const TOPIC = ['attributes', 'tags'] as const;
const SUBSCRIPTION = ['topic', 'queue', 'protocol', 'endpoint', 'rawMessageDelivery', 'filterPolicy', 'filterPolicyScope', 'redrivePolicy'] as const;
const FUNCTION = ['handler', 'codeUri', 'url', 'runtime', 'timeout', 'memorySize', 'environment', 'reservedConcurrency', 'events'] as const;
const EVENT = ['queue', 'batchSize', 'maximumBatchingWindowInSeconds', 'functionResponseTypes', 'maximumConcurrency', 'enabled', 'filterPatterns'] as const;
/** The keys each level accepts (pier-config.schema.json lists the same; a unit test keeps them equal). */
export const configKeys = { top: TOP, queue: QUEUE, topic: TOPIC, subscription: SUBSCRIPTION, function: FUNCTION, event: EVENT };
/** Spec member → this file's key, so rule violations point at what the user wrote. */
const FUNCTION_KEYS: Record<string, string> = { timeoutSeconds: 'timeout', memoryMb: 'memorySize', reservedConcurrency: 'reservedConcurrency', handler: 'handler', url: 'url', runtime: 'runtime', name: '' };
const EVENT_KEYS: Record<string, string> = { batchSize: 'batchSize', maximumBatchingWindowSeconds: 'maximumBatchingWindowInSeconds', maximumConcurrency: 'maximumConcurrency', queueArn: 'queue' };

export function loadConfigFile(file: string, scope: Scope): Declarations {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DeclarationError(`cannot read config file ${file}: ${(e as Error).message}`);
  }
  const src = new SourceFile(file, text);
  return interpretConfig(src.data, dirname(resolve(file)), scope, failIn(src, file));
}

/** The same rules for a config given as an object (startPier({ config: {...} })). */
export function configFromObject(data: unknown, baseDir: string, scope: Scope): Declarations {
  return interpretConfig(data, baseDir, scope, failIn(undefined, 'config'));
}

function interpretConfig(data: unknown, baseDir: string, scope: Scope, fail: Fail): Declarations {
  const c = new Check(fail);
  const d = emptyDeclarations();
  const top = c.object([], data);
  c.onlyKeys([], top, TOP);
  const queues = c.object(['queues'], top.queues);
  for (const [name, raw] of Object.entries(queues)) {
    const p: Path = ['queues', name];
    const q = c.object(p, raw);
    c.onlyKeys(p, q, QUEUE);
    const attributes = c.stringMap([...p, 'attributes'], q.attributes);
    if ('RedrivePolicy' in attributes) fail([...p, 'attributes', 'RedrivePolicy'], 'use redrivePolicy: { deadLetterQueue: NAME, maxReceiveCount: N } instead', true);
    if (name.endsWith('.fifo')) attributes.FifoQueue ??= 'true';
    let redrive;
    if (q.redrivePolicy !== undefined) {
      const r = c.object([...p, 'redrivePolicy'], q.redrivePolicy);
      c.onlyKeys([...p, 'redrivePolicy'], r, ['deadLetterQueue', 'maxReceiveCount']);
      const dlq = c.string([...p, 'redrivePolicy', 'deadLetterQueue'], r.deadLetterQueue);
      if (!dlq.startsWith('arn:') && !(dlq in queues)) fail([...p, 'redrivePolicy', 'deadLetterQueue'], `no queue named ${dlq} is declared in this file (or give its ARN)`);
      redrive = { deadLetterQueue: dlq, maxReceiveCount: c.int([...p, 'redrivePolicy', 'maxReceiveCount'], r.maxReceiveCount, 1, 1000) };
    }
    d.queues.push({ name, attributes, tags: c.stringMap([...p, 'tags'], q.tags), redrive, at: pathAt(p) });
  }
  const topics = c.object(['topics'], top.topics);
  for (const [name, raw] of Object.entries(topics)) {
    const p: Path = ['topics', name];
    const t = c.object(p, raw);
    c.onlyKeys(p, t, TOPIC);
    const attributes = c.stringMap([...p, 'attributes'], t.attributes);
    if (name.endsWith('.fifo')) attributes.FifoTopic ??= 'true';
    d.topics.push({ name, attributes, tags: c.stringMap([...p, 'tags'], t.tags), at: pathAt(p) });
  }
  for (const [i, raw] of c.list(['subscriptions'], top.subscriptions).entries()) {
    const p: Path = ['subscriptions', i];
    const s = c.object(p, raw);
    c.onlyKeys(p, s, SUBSCRIPTION);
    const topic = c.string([...p, 'topic'], s.topic);
    if (!(topic in topics)) fail([...p, 'topic'], `no topic named ${topic} is declared in this file`);
    let protocol: string;
    let endpoint: string;
    if (s.queue !== undefined) {
      if (s.endpoint !== undefined) fail([...p, 'endpoint'], 'give either queue or endpoint, not both', true);
      const q = c.string([...p, 'queue'], s.queue);
      if (!q.startsWith('arn:') && !(q in queues)) fail([...p, 'queue'], `no queue named ${q} is declared in this file (or give its ARN)`);
      protocol = 'sqs';
      endpoint = q.startsWith('arn:') ? q : sqsArn(scope, q);
    } else {
      endpoint = c.string([...p, 'endpoint'], s.endpoint);
      protocol = s.protocol === undefined ? new URL(endpoint).protocol.replace(':', '') : c.string([...p, 'protocol'], s.protocol);
      if (!['http', 'https', 'sqs'].includes(protocol)) fail([...p, 'protocol'], `must be sqs, http or https, got ${protocol}`);
    }
    const attributes: Record<string, string> = {};
    if (s.rawMessageDelivery !== undefined) attributes.RawMessageDelivery = String(c.bool([...p, 'rawMessageDelivery'], s.rawMessageDelivery));
    if (s.filterPolicy !== undefined) attributes.FilterPolicy = JSON.stringify(c.object([...p, 'filterPolicy'], s.filterPolicy));
    if (s.filterPolicyScope !== undefined) {
      const scopeName = c.string([...p, 'filterPolicyScope'], s.filterPolicyScope);
      if (scopeName !== 'MessageAttributes' && scopeName !== 'MessageBody') fail([...p, 'filterPolicyScope'], 'must be MessageAttributes or MessageBody');
      attributes.FilterPolicyScope = scopeName;
    }
    if (s.redrivePolicy !== undefined) attributes.RedrivePolicy = JSON.stringify(c.object([...p, 'redrivePolicy'], s.redrivePolicy));
    d.subscriptions.push({ topic, protocol, endpoint, attributes, at: pathAt(p) });
  }
  for (const [name, raw] of Object.entries(c.object(['functions'], top.functions))) {
    const p: Path = ['functions', name];
    const { fn, mappings } = readFunction(c, p, name, raw, baseDir, queues, scope);
    d.functions.push(fn);
    d.mappings.push(...mappings);
  }
  return d;
}

function readFunction(c: Check, p: Path, name: string, raw: unknown, baseDir: string, queues: Record<string, unknown>, scope: Scope) {
  const f = c.object(p, raw);
  c.onlyKeys(p, f, FUNCTION);
  const timeoutSeconds = f.timeout === undefined ? 3 : c.int([...p, 'timeout'], f.timeout, 1, 900);
  const reservedConcurrency = f.reservedConcurrency === undefined ? undefined : c.int([...p, 'reservedConcurrency'], f.reservedConcurrency, 0, 1000);
  let fn: FunctionSpec;
  if (f.url !== undefined) {
    for (const k of ['handler', 'codeUri', 'runtime', 'memorySize', 'environment'] as const) if (f[k] !== undefined) c.fail([...p, k], 'does not apply to a url function', true);
    fn = { name, kind: 'url', url: c.string([...p, 'url'], f.url), timeoutSeconds, reservedConcurrency };
  } else {
    fn = {
      name,
      kind: 'module',
      handler: c.string([...p, 'handler'], f.handler),
      codeDir: resolve(baseDir, f.codeUri === undefined ? '.' : c.string([...p, 'codeUri'], f.codeUri)),
      runtime: f.runtime === undefined ? undefined : c.string([...p, 'runtime'], f.runtime),
      timeoutSeconds,
      memoryMb: f.memorySize === undefined ? 128 : c.int([...p, 'memorySize'], f.memorySize, 128, 10_240),
      environment: c.stringMap([...p, 'environment'], f.environment),
      reservedConcurrency,
    };
  }
  for (const problem of functionProblems(fn)) c.fail(problem.field === 'name' ? p : [...p, FUNCTION_KEYS[problem.field] ?? problem.field], problem.message, problem.field === 'name');
  const mappings: MappingSpec[] = [];
  for (const [i, rawEvent] of c.list([...p, 'events'], f.events).entries()) {
    const ep: Path = [...p, 'events', i];
    const e = c.object(ep, rawEvent);
    c.onlyKeys(ep, e, EVENT);
    const queue = c.string([...ep, 'queue'], e.queue);
    if (!queue.startsWith('arn:') && !(queue in queues)) c.fail([...ep, 'queue'], `no queue named ${queue} is declared in this file (or give its ARN)`);
    const types = c.list([...ep, 'functionResponseTypes'], e.functionResponseTypes).map((t, j) => c.string([...ep, 'functionResponseTypes', j], t));
    for (const [j, t] of types.entries()) if (t !== 'ReportBatchItemFailures') c.fail([...ep, 'functionResponseTypes', j], `must be ReportBatchItemFailures, got ${t}`);
    const m: MappingSpec = {
      functionName: name,
      queueArn: queue.startsWith('arn:') ? queue : sqsArn(scope, queue),
      batchSize: e.batchSize === undefined ? 10 : c.int([...ep, 'batchSize'], e.batchSize, 1, 10_000),
      maximumBatchingWindowSeconds: e.maximumBatchingWindowInSeconds === undefined ? 0 : c.int([...ep, 'maximumBatchingWindowInSeconds'], e.maximumBatchingWindowInSeconds, 0, 300),
      reportBatchItemFailures: types.length > 0,
      maximumConcurrency: e.maximumConcurrency === undefined ? undefined : c.int([...ep, 'maximumConcurrency'], e.maximumConcurrency, 1, 1000),
      enabled: e.enabled === undefined ? true : c.bool([...ep, 'enabled'], e.enabled),
      filterPatterns: c.list([...ep, 'filterPatterns'], e.filterPatterns).map((x, j) => JSON.stringify(c.object([...ep, 'filterPatterns', j], x))),
    };
    const fifo = queue.endsWith('.fifo') || undefined;
    for (const problem of mappingProblems(m, fifo)) c.fail([...ep, EVENT_KEYS[problem.field] ?? problem.field], problem.message);
    mappings.push(m);
  }
  return { fn, mappings };
}

const pathAt = (p: Path) => p.join('.');

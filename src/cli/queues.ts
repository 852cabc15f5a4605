// `pier queues list|create|purge|peek`: operator commands against a running server. list, create
// and purge are plain SQS calls; peek uses Pier's admin route, which reads visible messages
// without receiving them (no receive count, no visibility change for other consumers).
import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { admin, call, CliError, type CommonFlags, out, parse, sqsClient, table } from './client.js';

export const queuesUsage = `pier queues list [--prefix P]                   queues with their message counts
pier queues create NAME [--attribute K=V]... [--tag K=V]...
pier queues purge NAME|URL                      delete every message of a queue
pier queues peek NAME|URL [--max N]             show visible messages without receiving them
  common: --endpoint URL (PIER_ENDPOINT, default http://127.0.0.1:9324) --region R --json`;

export async function queues(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'list':
      return list(rest);
    case 'create':
      return create(rest);
    case 'purge':
      return purge(rest);
    case 'peek':
      return peek(rest);
    default:
      throw new CliError(`unknown or missing subcommand: pier queues ${sub ?? ''}\n\n${queuesUsage}`);
  }
}

async function list(argv: string[]): Promise<void> {
  const { flags } = parse(argv, { prefix: { type: 'string' } });
  const sqs = sqsClient(flags);
  try {
    const urls: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await call(flags, () => sqs.send(new ListQueuesCommand({ QueueNamePrefix: flags.prefix as string | undefined, MaxResults: 1000, NextToken })));
      urls.push(...(page.QueueUrls ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    const rows = [];
    for (const url of urls) {
      const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed', 'QueueArn'] as const;
      const a = (await call(flags, () => sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [...names] })))).Attributes ?? {};
      rows.push({ name: url.slice(url.lastIndexOf('/') + 1), url, visible: Number(a.ApproximateNumberOfMessages), inflight: Number(a.ApproximateNumberOfMessagesNotVisible), delayed: Number(a.ApproximateNumberOfMessagesDelayed) });
    }
    if (flags.json) return out(JSON.stringify({ queues: rows }, null, 2) + '\n');
    if (rows.length === 0) return out('no queues\n');
    out(table(['NAME', 'VISIBLE', 'IN-FLIGHT', 'DELAYED', 'URL'], rows.map((r) => [r.name, r.visible, r.inflight, r.delayed, r.url])));
  } finally {
    sqs.destroy();
  }
}

function pairs(flag: string, values: unknown): Record<string, string> {
  const outMap: Record<string, string> = {};
  for (const v of (values as string[] | undefined) ?? []) {
    const i = v.indexOf('=');
    if (i <= 0) throw new CliError(`--${flag} must be KEY=VALUE, got ${v}`);
    outMap[v.slice(0, i)] = v.slice(i + 1);
  }
  return outMap;
}

async function create(argv: string[]): Promise<void> {
  const { flags, args } = parse(argv, { attribute: { type: 'string', multiple: true }, tag: { type: 'string', multiple: true } });
  const name = one(args, 'pier queues create NAME');
  const Attributes = pairs('attribute', flags.attribute);
  if (name.endsWith('.fifo')) Attributes.FifoQueue ??= 'true';
  const sqs = sqsClient(flags);
  try {
    const { QueueUrl } = await call(flags, () => sqs.send(new CreateQueueCommand({ QueueName: name, Attributes, tags: pairs('tag', flags.tag) })));
    out(flags.json ? JSON.stringify({ QueueUrl }) + '\n' : `${QueueUrl}\n`);
  } finally {
    sqs.destroy();
  }
}

async function purge(argv: string[]): Promise<void> {
  const { flags, args } = parse(argv);
  const sqs = sqsClient(flags);
  try {
    const QueueUrl = await queueUrl(flags, sqs, one(args, 'pier queues purge NAME|URL'));
    await call(flags, () => sqs.send(new PurgeQueueCommand({ QueueUrl })));
    out(flags.json ? JSON.stringify({ purged: QueueUrl }) + '\n' : `purged ${QueueUrl}\n`);
  } finally {
    sqs.destroy();
  }
}

interface Peeked {
  MessageId: string;
  Body: string;
  Attributes: Record<string, string>;
  MessageAttributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
}

async function peek(argv: string[]): Promise<void> {
  const { flags, args } = parse(argv, { max: { type: 'string', default: '10' } });
  const max = Number(flags.max);
  if (!Number.isInteger(max) || max < 1 || max > 100) throw new CliError(`--max must be 1–100, got ${String(flags.max)}`);
  const sqs = sqsClient(flags);
  let url: string;
  try {
    url = await queueUrl(flags, sqs, one(args, 'pier queues peek NAME|URL'));
  } finally {
    sqs.destroy();
  }
  const { messages } = await admin<{ messages: Peeked[] }>(flags, `/_pier/peek?queue=${encodeURIComponent(url)}&max=${max}&region=${encodeURIComponent(flags.region)}`);
  if (flags.json) return out(JSON.stringify({ messages }, null, 2) + '\n');
  if (messages.length === 0) return out('no visible messages\n');
  for (const m of messages) {
    const sent = new Date(Number(m.Attributes.SentTimestamp)).toISOString();
    const group = m.Attributes.MessageGroupId ? `  group ${m.Attributes.MessageGroupId}` : '';
    out(`${m.MessageId}  sent ${sent}  receives ${m.Attributes.ApproximateReceiveCount}${group}\n  ${m.Body.length > 500 ? `${m.Body.slice(0, 500)}…` : m.Body}\n`);
  }
}

/** A queue URL from a URL or a name (GetQueueUrl, so a missing queue is reported as SQS does). */
async function queueUrl(flags: CommonFlags, sqs: ReturnType<typeof sqsClient>, nameOrUrl: string): Promise<string> {
  if (/^https?:\/\//.test(nameOrUrl)) return nameOrUrl;
  return (await call(flags, () => sqs.send(new GetQueueUrlCommand({ QueueName: nameOrUrl })))).QueueUrl!;
}

function one(args: string[], usage: string): string {
  if (args.length !== 1) throw new CliError(`usage: ${usage}`);
  return args[0]!;
}

// `pier serve` as a real process: flags and their PIER_* equivalents, refusal of bad flags,
// /health, /metrics, and accounts and regions as separate namespaces.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { runPier, sqsClient, startPier, tempDir, type PierProcess } from './pier-process.js';

/** An unsigned Query-protocol request: no SigV4 scope, so the server's defaults decide. */
async function query(endpoint: string, params: Record<string, string>): Promise<{ status: number; text: string }> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Version: '2012-11-05', ...params }).toString(),
  });
  return { status: res.status, text: await res.text() };
}
const xmlValue = (xml: string, tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];

async function queueArn(endpoint: string, queueUrl: string, opts: { region?: string; accessKeyId?: string } = {}) {
  const client = sqsClient(endpoint, opts);
  try {
    const out = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    return out.Attributes?.QueueArn;
  } finally {
    client.destroy();
  }
}

/** Prometheus text → map from `name{k="v",…}` (labels sorted by name) to value. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `metrics line parses: ${line}`);
    const labels = [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => `${k}="${v}"`).sort();
    samples.set(`${m[1]}{${labels.join(',')}}`, Number(m[3]));
  }
  return samples;
}

describe('pier serve refuses bad command lines with exit code 2 and the usage', () => {
  const cases: Array<{ name: string; args: string[]; env?: Record<string, string>; mentions: string }> = [
    { name: 'unknown flag', args: ['serve', '--no-such-flag'], mentions: 'no-such-flag' },
    { name: 'port out of range', args: ['serve', '--port', '70000'], mentions: '--port' },
    { name: 'port not a number', args: ['serve', '--port', 'abc'], mentions: '--port' },
    { name: 'unknown storage', args: ['serve', '--storage', 'floppy'], mentions: '--storage' },
    { name: 'account id not 12 digits', args: ['serve', '--account-id', '1234'], mentions: '--account-id' },
    { name: 'base url with a path', args: ['serve', '--base-url', 'http://h:1/some/path'], mentions: '--base-url' },
    { name: 'bad PIER_PORT', args: ['serve'], env: { PIER_PORT: 'ninety' }, mentions: '--port' },
    { name: 'bad PIER_STORAGE', args: ['serve'], env: { PIER_STORAGE: 'tape' }, mentions: '--storage' },
    { name: 'unknown command', args: ['frobnicate'], mentions: 'frobnicate' },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const r = await runPier(c.args, { env: c.env });
      assert.equal(r.code, 2, `exit code (stderr: ${r.stderr})`);
      assert.match(r.stderr, /pier serve \[options\]/, 'usage on stderr');
      assert.ok(r.stderr.includes(c.mentions), `the message names ${c.mentions}: ${r.stderr}`);
      assert.doesNotMatch(r.stdout, /listening on/);
    });
  }
});

describe('pier serve with defaults (sqlite, port 0)', () => {
  let pier: PierProcess;
  let other: PierProcess;
  const tmp = tempDir('serve');
  before(async () => {
    [pier, other] = await Promise.all([
      startPier(['--port', '0', '--data-dir', `${tmp.dir}/a`]),
      startPier(['--port', '0', '--data-dir', `${tmp.dir}/b`]),
    ]);
  });
  after(async () => {
    await Promise.all([pier?.stop(), other?.stop()]);
    tmp.cleanup();
  });

  test('port 0 picks a free port, printed as listening on http://127.0.0.1:PORT', () => {
    assert.match(pier.stdout(), /^listening on http:\/\/127\.0\.0\.1:\d+\n/m);
    assert.ok(pier.port > 0 && other.port > 0);
    assert.notEqual(pier.port, other.port, 'two servers, two ports');
  });

  test('GET /health answers 200', async () => {
    const res = await fetch(`${pier.endpoint}/health`);
    assert.equal(res.status, 200);
    await res.text();
  });

  test('queue URLs follow the Host header; account 000000000000 and region us-east-1 by default', async () => {
    const viaIp = sqsClient(pier.endpoint);
    const viaName = sqsClient(`http://localhost:${pier.port}`);
    try {
      const { QueueUrl } = await viaIp.send(new CreateQueueCommand({ QueueName: 'host-follows' }));
      assert.equal(QueueUrl, `${pier.endpoint}/000000000000/host-follows`);
      const again = await viaName.send(new GetQueueUrlCommand({ QueueName: 'host-follows' }));
      assert.equal(again.QueueUrl, `http://localhost:${pier.port}/000000000000/host-follows`);
    } finally {
      viaIp.destroy();
      viaName.destroy();
    }
    // No SigV4 scope at all: the configured default region and account apply.
    const created = await query(pier.endpoint, { Action: 'CreateQueue', QueueName: 'unsigned' });
    assert.equal(created.status, 200, created.text);
    const attrs = await query(pier.endpoint, {
      Action: 'GetQueueAttributes',
      QueueUrl: xmlValue(created.text, 'QueueUrl')!,
      'AttributeName.1': 'QueueArn',
    });
    assert.match(attrs.text, /arn:aws:sqs:us-east-1:000000000000:unsigned/);
  });

  test('a 12-digit access key id names its own account', async () => {
    const a = sqsClient(pier.endpoint, { accessKeyId: '210987654321' });
    const plain = sqsClient(pier.endpoint);
    try {
      const { QueueUrl } = await a.send(new CreateQueueCommand({ QueueName: 'per-account' }));
      assert.equal(QueueUrl, `${pier.endpoint}/210987654321/per-account`);
      assert.equal(await queueArn(pier.endpoint, QueueUrl!, { accessKeyId: '210987654321' }), 'arn:aws:sqs:us-east-1:210987654321:per-account');
      // The default account does not see it.
      await assert.rejects(plain.send(new GetQueueUrlCommand({ QueueName: 'per-account' })), { name: 'QueueDoesNotExist' });
      const listed = await plain.send(new ListQueuesCommand({ QueueNamePrefix: 'per-account' }));
      assert.deepEqual(listed.QueueUrls ?? [], []);
    } finally {
      a.destroy();
      plain.destroy();
    }
  });

  test('accounts and regions are separate namespaces', async () => {
    const clients = {
      east: sqsClient(pier.endpoint, { region: 'us-east-1', accessKeyId: '111111111111' }),
      west: sqsClient(pier.endpoint, { region: 'eu-west-1', accessKeyId: '111111111111' }),
      otherAccount: sqsClient(pier.endpoint, { region: 'us-east-1', accessKeyId: '222222222222' }),
    };
    try {
      const urls: Record<string, string> = {};
      for (const [k, c] of Object.entries(clients)) urls[k] = (await c.send(new CreateQueueCommand({ QueueName: 'shared-name' }))).QueueUrl!;
      assert.equal(await queueArn(pier.endpoint, urls.east!, { region: 'us-east-1', accessKeyId: '111111111111' }), 'arn:aws:sqs:us-east-1:111111111111:shared-name');
      assert.equal(await queueArn(pier.endpoint, urls.west!, { region: 'eu-west-1', accessKeyId: '111111111111' }), 'arn:aws:sqs:eu-west-1:111111111111:shared-name');
      assert.equal(await queueArn(pier.endpoint, urls.otherAccount!, { region: 'us-east-1', accessKeyId: '222222222222' }), 'arn:aws:sqs:us-east-1:222222222222:shared-name');

      await clients.east.send(new SendMessageCommand({ QueueUrl: urls.east, MessageBody: 'only in us-east-1' }));
      const west = await clients.west.send(new ReceiveMessageCommand({ QueueUrl: urls.west, MaxNumberOfMessages: 10 }));
      assert.deepEqual(west.Messages ?? [], [], 'eu-west-1 has its own, empty queue');
      const other = await clients.otherAccount.send(new ReceiveMessageCommand({ QueueUrl: urls.otherAccount, MaxNumberOfMessages: 10 }));
      assert.deepEqual(other.Messages ?? [], [], 'another account has its own, empty queue');
      const east = await clients.east.send(new ReceiveMessageCommand({ QueueUrl: urls.east, MaxNumberOfMessages: 10 }));
      assert.deepEqual(east.Messages?.map((m) => m.Body), ['only in us-east-1']);

      const westOnly = await clients.west.send(new CreateQueueCommand({ QueueName: 'west-only' }));
      await assert.rejects(clients.east.send(new GetQueueUrlCommand({ QueueName: 'west-only' })), { name: 'QueueDoesNotExist' });
      const listed = await clients.west.send(new ListQueuesCommand({}));
      assert.deepEqual(listed.QueueUrls?.sort(), [westOnly.QueueUrl, urls.west].sort());
    } finally {
      for (const c of Object.values(clients)) c.destroy();
    }
  });

  test('/metrics serves Prometheus text with per-queue counts and per-action request and error counters', async () => {
    const client = sqsClient(pier.endpoint, { accessKeyId: '333333333333', region: 'us-west-2' });
    try {
      const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'metered' }));
      for (const body of ['a', 'b', 'c']) await client.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
      await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 600 }));
      const got = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 600 }));
      assert.equal(got.Messages?.length, 1);
      for (let i = 0; i < 2; i++) {
        await assert.rejects(client.send(new GetQueueUrlCommand({ QueueName: 'not-there' })), { name: 'QueueDoesNotExist' });
      }
    } finally {
      client.destroy();
    }
    const res = await fetch(`${pier.endpoint}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await res.text();
    assert.match(text, /^# TYPE pier_requests_total counter$/m);
    const m = parseMetrics(text);
    const q = (state: string) => `pier_queue_messages{account="333333333333",queue="metered",region="us-west-2",state="${state}"}`;
    assert.equal(m.get(q('visible')), 2, text);
    assert.equal(m.get(q('inflight')), 1, text);
    assert.equal(m.get(q('delayed')), 1, text);
    // Only this test used account 333333333333, but other tests share the per-action counters.
    assert.ok((m.get('pier_requests_total{action="SendMessage"}') ?? 0) >= 4, text);
    assert.ok((m.get('pier_requests_total{action="ReceiveMessage"}') ?? 0) >= 1, text);
    const errors = [...m].filter(([k]) => k.startsWith('pier_request_errors_total{action="GetQueueUrl",'));
    assert.ok(errors.length > 0 && errors.some(([k, v]) => /NonExistentQueue/.test(k) && v >= 2), text);
    assert.ok(![...m.keys()].some((k) => k.startsWith('pier_request_errors_total{action="SendMessage"')), 'no errors counted for SendMessage');
  });
});

describe('pier serve flags and their PIER_* equivalents', () => {
  test('--account-id, --region, --base-url and --storage memory', async (t) => {
    const tmp = tempDir('flags');
    t.after(tmp.cleanup);
    const args = ['--port', '0', '--data-dir', tmp.dir, '--account-id', '123456789012', '--region', 'eu-central-1', '--base-url', 'http://queues.example.com:8080/', '--storage', 'memory'];
    let pier = await startPier(args);
    t.after(() => pier.stop('SIGKILL'));

    // Unsigned: the configured account and region apply; URLs use the base URL, not the Host header.
    const created = await query(pier.endpoint, { Action: 'CreateQueue', QueueName: 'flagged' });
    assert.equal(xmlValue(created.text, 'QueueUrl'), 'http://queues.example.com:8080/123456789012/flagged', created.text);
    const attrs = await query(pier.endpoint, { Action: 'GetQueueAttributes', QueueUrl: 'http://queues.example.com:8080/123456789012/flagged', 'AttributeName.1': 'QueueArn' });
    assert.match(attrs.text, /arn:aws:sqs:eu-central-1:123456789012:flagged/);

    // Signed by the SDK: the region comes from the credential scope; the base URL still names the queue,
    // and such a URL is accepted back.
    const client = sqsClient(pier.endpoint, { region: 'ap-south-1' });
    t.after(() => client.destroy());
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'signed' }));
    assert.equal(QueueUrl, 'http://queues.example.com:8080/123456789012/signed');
    assert.equal(await queueArn(pier.endpoint, QueueUrl!, { region: 'ap-south-1' }), 'arn:aws:sqs:ap-south-1:123456789012:signed');
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'kept in memory only' }));
    const listed = await client.send(new ListQueuesCommand({}));
    assert.deepEqual(listed.QueueUrls, ['http://queues.example.com:8080/123456789012/signed']);

    // --storage memory: nothing is written to the data dir and nothing survives a restart.
    assert.deepEqual(readdirSync(tmp.dir), [], 'the memory engine leaves the data dir alone');
    assert.deepEqual(await pier.stop('SIGTERM'), { code: 0, signal: null });
    pier = await startPier(args);
    const fresh = sqsClient(pier.endpoint, { region: 'ap-south-1' });
    t.after(() => fresh.destroy());
    await assert.rejects(fresh.send(new GetQueueUrlCommand({ QueueName: 'signed' })), { name: 'QueueDoesNotExist' });
  });

  test('PIER_* environment variables do the same, and flags override them', async (t) => {
    const tmp = tempDir('env');
    t.after(tmp.cleanup);
    const env = {
      PIER_PORT: '0',
      PIER_DATA_DIR: tmp.dir,
      PIER_ACCOUNT_ID: '444444444444',
      PIER_REGION: 'sa-east-1',
      PIER_BASE_URL: 'https://sqs.internal',
      PIER_STORAGE: 'sqlite',
      PIER_LOG_LEVEL: 'error',
    };
    const pier = await startPier([], { env });
    t.after(() => pier.stop('SIGKILL'));
    const created = await query(pier.endpoint, { Action: 'CreateQueue', QueueName: 'from-env' });
    assert.equal(xmlValue(created.text, 'QueueUrl'), 'https://sqs.internal/444444444444/from-env', created.text);
    const attrs = await query(pier.endpoint, { Action: 'GetQueueAttributes', QueueUrl: 'https://sqs.internal/444444444444/from-env', 'AttributeName.1': 'QueueArn' });
    assert.match(attrs.text, /arn:aws:sqs:sa-east-1:444444444444:from-env/);
    assert.ok(readdirSync(tmp.dir).length > 0, 'PIER_DATA_DIR holds the SQLite store');

    const flagged = await startPier(['--account-id', '555555555555', '--base-url', 'http://flag.example', '--storage', 'memory'], {
      env: { ...env, PIER_DATA_DIR: `${tmp.dir}/unused` },
    });
    t.after(() => flagged.stop('SIGKILL'));
    assert.notEqual(flagged.port, 0);
    const c2 = await query(flagged.endpoint, { Action: 'CreateQueue', QueueName: 'from-flags' });
    assert.equal(xmlValue(c2.text, 'QueueUrl'), 'http://flag.example/555555555555/from-flags', c2.text);
    const a2 = await query(flagged.endpoint, { Action: 'GetQueueAttributes', QueueUrl: 'http://flag.example/555555555555/from-flags', 'AttributeName.1': 'QueueArn' });
    assert.match(a2.text, /arn:aws:sqs:sa-east-1:555555555555:from-flags/, 'PIER_REGION still applies where no flag overrides it');
  });
});

// Log collection to files: a few services ship their log lines to a queue (SendMessageBatch), and
// a function appends them to one file per service and hour. The driver then reads the files back
// and checks that every line arrived exactly once (duplicates from retries are reported apart).
// Usage: node log-collection.js [--services 4] [--lines 5000] [--out DIR]
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startPier } from '../../../src/index.js';
import { prng } from '../src/catalog.js';
import { EXAMPLE_DIR } from '../src/pier-setup.js';
import type { LogRecord } from './log-writer.js';

export interface LogSummary {
  dir: string;
  files: string[];
  sent: number;
  collected: number;
  duplicates: number;
  missing: number;
  seconds: number;
}

const SERVICES = ['orders', 'inventory', 'payments', 'shipping', 'points', 'sms'];

/** Reads every collected line back: ids seen, and repeats. */
export function collect(dir: string): { ids: Set<string>; duplicates: number; files: string[] } {
  const ids = new Set<string>();
  let duplicates = 0;
  const files: string[] = [];
  for (const service of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const f of readdirSync(join(dir, service.name))) {
      files.push(join(service.name, f));
      for (const line of readFileSync(join(dir, service.name, f), 'utf8').split('\n')) {
        if (!line) continue;
        const id = (JSON.parse(line) as LogRecord).id;
        if (ids.has(id)) duplicates++;
        ids.add(id);
      }
    }
  }
  return { ids, duplicates, files: files.sort() };
}

export async function runLogCollection(opts: { services?: number; lines?: number; out?: string; log?: (l: string) => void } = {}): Promise<LogSummary> {
  const services = SERVICES.slice(0, Math.min(SERVICES.length, opts.services ?? 4));
  const perService = opts.lines ?? 2500;
  const log = opts.log ?? console.log;
  const dir = resolve(opts.out ?? 'log-collection-out', 'logs');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pier = await startPier({
    storage: 'sqlite',
    config: {
      queues: { logs: {} },
      functions: {
        'log-writer': {
          handler: 'log-collection/log-writer.handler',
          codeUri: EXAMPLE_DIR,
          environment: { LOG_DIR: dir },
          // One writer: appends to a file never interleave.
          events: [{ queue: 'logs', batchSize: 500, maximumBatchingWindowInSeconds: 1, maximumConcurrency: 1 }],
        },
      },
    },
  });
  const sqs = new SQSClient({ endpoint: pier.endpoint, region: pier.region, credentials: { accessKeyId: 'logs', secretAccessKey: 'x' } });
  const t0 = performance.now();
  try {
    // Each service ships its lines in batches of 10, all services at once.
    const rnd = prng(3);
    const start = Date.now() - 2 * 3600_000; // two hours of logs: several files per service
    const levels: LogRecord['level'][] = ['debug', 'info', 'info', 'info', 'warn', 'error'];
    await Promise.all(
      services.map(async (service) => {
        for (let i = 0; i < perService; i += 10) {
          const Entries = Array.from({ length: Math.min(10, perService - i) }, (_, j) => {
            const rec: LogRecord = { id: `${service}-${i + j}`, service, level: levels[Math.floor(rnd() * levels.length)], ts: start + Math.floor(((i + j) / perService) * 2 * 3600_000), msg: `request ${i + j} handled` };
            return { Id: String(j), MessageBody: JSON.stringify(rec) };
          });
          await sqs.send(new SendMessageBatchCommand({ QueueUrl: pier.queueUrl('logs'), Entries }));
        }
      }),
    );
    const sent = services.length * perService;
    log(`${sent} log lines shipped by ${services.length} services; collecting into ${dir}`);
    let seen = collect(dir);
    const deadline = Date.now() + 60_000;
    while (seen.ids.size < sent && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      seen = collect(dir);
      if (process.stderr.isTTY) process.stderr.write(`\rcollected ${seen.ids.size}/${sent}\x1b[K`);
    }
    const summary: LogSummary = { dir, files: seen.files, sent, collected: seen.ids.size, duplicates: seen.duplicates, missing: sent - seen.ids.size, seconds: (performance.now() - t0) / 1000 };
    log(`\n${summary.collected}/${sent} lines in ${summary.files.length} files in ${summary.seconds.toFixed(1)} s; missing ${summary.missing}, duplicates ${summary.duplicates}`);
    for (const f of summary.files.slice(0, 8)) log(`  ${f}`);
    if (summary.files.length > 8) log(`  … ${summary.files.length - 8} more`);
    return summary;
  } finally {
    sqs.destroy();
    await pier.stop();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({ options: { services: { type: 'string' }, lines: { type: 'string' }, out: { type: 'string' } } });
  const s = await runLogCollection({ services: values.services ? Number(values.services) : undefined, lines: values.lines ? Number(values.lines) : undefined, out: values.out });
  process.exit(s.missing === 0 ? 0 : 1);
}

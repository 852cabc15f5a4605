// The log-collection example's function: appends each batch of log records to one file per
// service and hour (LOG_DIR/<service>/<YYYY-MM-DDTHH>.log), one JSON line per record, in time
// order within the batch. Delivery is at-least-once: a retried batch may append a line twice,
// which `collect` tolerates by keying lines on their id.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SqsEvent } from '../functions/inventory.js';

export interface LogRecord {
  id: string;
  service: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  /** Epoch ms. */
  ts: number;
  msg: string;
}

export const SERVICE = /^[a-z][a-z0-9-]{0,31}$/;

export const handler = async (event: SqsEvent): Promise<void> => {
  const dir = process.env.LOG_DIR ?? 'logs';
  const files = new Map<string, string[]>();
  const records = event.Records.map((r) => JSON.parse(r.body) as LogRecord).sort((a, b) => a.ts - b.ts);
  for (const rec of records) {
    // The service name becomes a path: anything else goes to _invalid, never outside LOG_DIR.
    const service = SERVICE.test(rec.service) ? rec.service : '_invalid';
    const file = join(dir, service, `${new Date(rec.ts).toISOString().slice(0, 13)}.log`);
    const lines = files.get(file) ?? [];
    lines.push(JSON.stringify(rec));
    files.set(file, lines);
  }
  for (const [file, lines] of files) {
    mkdirSync(join(file, '..'), { recursive: true });
    appendFileSync(file, `${lines.join('\n')}\n`);
  }
};

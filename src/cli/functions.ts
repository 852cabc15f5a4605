// `pier functions list`: the functions a running server has, with their event source mappings and
// counters, from its admin route GET /_pier/functions.
import { admin, CliError, out, parse, table } from './client.js';

export const functionsUsage = `pier functions list                            functions, their mappings and counters
  common: --endpoint URL (PIER_ENDPOINT, default http://127.0.0.1:9324) --json`;

interface Info {
  name: string;
  kind: string;
  handler?: string;
  url?: string;
  timeoutSeconds: number;
  mappings: { eventSourceArn: string; batchSize: number; maximumConcurrency?: number; functionResponseTypes: string[]; state: string }[];
  metrics: { invocations: number; errors: number; timeouts: number; crashes: number; throttles: number; durationMsTotal: number };
}

export async function functions(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'list') throw new CliError(`unknown or missing subcommand: pier functions ${sub ?? ''}\n\n${functionsUsage}`);
  const { flags } = parse(rest);
  const { functions: list } = await admin<{ functions: Info[] }>(flags, '/_pier/functions');
  if (flags.json) return out(JSON.stringify({ functions: list }, null, 2) + '\n');
  if (list.length === 0) return out('no functions\n');
  const rows = list.flatMap((f) => {
    const m = f.metrics;
    const failed = m.errors + m.timeouts + m.crashes;
    const avg = m.invocations ? `${Math.round(m.durationMsTotal / m.invocations)} ms` : '-';
    const base = [f.name, f.handler ?? f.url ?? '', `${f.timeoutSeconds}s`, m.invocations, failed, m.throttles, avg];
    if (f.mappings.length === 0) return [[...base, '-', '-', '-', '-']];
    return f.mappings.map((mp) => [
      ...base,
      mp.eventSourceArn.split(':').pop()!,
      mp.batchSize,
      mp.maximumConcurrency ?? 'default',
      `${mp.state}${mp.functionResponseTypes.length ? ' partial' : ''}`,
    ]);
  });
  out(table(['FUNCTION', 'HANDLER', 'TIMEOUT', 'INVOCATIONS', 'ERRORS', 'THROTTLES', 'AVG', 'QUEUE', 'BATCH', 'CONCURRENCY', 'STATE'], rows));
}

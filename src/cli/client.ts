// What the CLI's subcommands share: their flags (--endpoint, --region, --json), an SQS client for
// the running server, and failures a person can act on (a server that is not running, an SQS error).
import { parseArgs } from 'node:util';
import { SQSClient } from '@aws-sdk/client-sqs';

export class CliError extends Error {}

export interface CommonFlags {
  endpoint: string;
  region: string;
  json: boolean;
}

const common = {
  endpoint: { type: 'string' },
  region: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

type Extra = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; default?: string | boolean }>;

/** Parses `argv` with the common flags plus `extra`; returns flags and positionals. */
export function parse(argv: string[], extra: Extra = {}): { flags: CommonFlags & Record<string, unknown>; args: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...common, ...extra }, allowPositionals: true, strict: true });
    const v = values as Record<string, unknown>;
    const endpoint = String(v.endpoint ?? process.env.PIER_ENDPOINT ?? 'http://127.0.0.1:9324').replace(/\/$/, '');
    const region = String(v.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1');
    return { flags: { ...v, endpoint, region, json: Boolean(v.json) }, args: positionals };
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

export function sqsClient(f: CommonFlags): SQSClient {
  // The SDK's notice about future Node versions is for developers, not for the CLI's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new SQSClient({
    endpoint: f.endpoint,
    region: f.region,
    // Pier does not check signatures; a 12-digit access key id would name another account.
    credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'pier', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'pier' },
    maxAttempts: 1,
  });
}

/** Runs a call to the server, turning transport and service errors into one-line messages. */
export async function call<T>(f: CommonFlags, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const err = e as Error & { code?: string; cause?: { code?: string } };
    if (err.code === 'ECONNREFUSED' || err.cause?.code === 'ECONNREFUSED' || /ECONNREFUSED|fetch failed/.test(err.message)) {
      throw new CliError(`cannot reach Pier at ${f.endpoint} (is \`pier serve\` running? set --endpoint or PIER_ENDPOINT)`);
    }
    throw new CliError(`${err.name && err.name !== 'Error' ? `${err.name}: ` : ''}${err.message}`);
  }
}

/** GET a Pier admin JSON route. */
export async function admin<T>(f: CommonFlags, path: string): Promise<T> {
  return call(f, async () => {
    const res = await fetch(`${f.endpoint}${path}`);
    const body = (await res.json()) as T & { message?: string; error?: string };
    if (!res.ok) throw Object.assign(new Error(body.message ?? `HTTP ${res.status}`), { name: body.error ?? 'Error' });
    return body;
  });
}

/** A plain text table: columns padded to their widest cell. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

export const out = (text: string): void => void process.stdout.write(text);

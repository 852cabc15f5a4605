// What a config file or a SAM template declares, in one shape both loaders produce and the server
// applies: queues, topics, subscriptions, functions and their event source mappings. Also the
// checks both loaders share, which name the key at fault as file:line:col and a dotted path.
import { LineCounter, parseDocument, type Document, type ParseOptions, type Tags } from 'yaml';
import type { FunctionSpec, MappingSpec } from '../functions/types.js';

export interface QueueDecl {
  name: string;
  /** SQS attributes as the wire spells them (RedrivePolicy excluded: see `redrive`). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  /** Dead-letter queue by name (declared in the same file) or ARN. */
  redrive?: { deadLetterQueue: string; maxReceiveCount: number };
  /** Where it was declared, for messages. */
  at: string;
}

export interface TopicDecl {
  name: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  at: string;
}

export interface SubscriptionDecl {
  /** Topic name. */
  topic: string;
  protocol: string;
  /** Queue ARN for sqs; URL for http/https. */
  endpoint: string;
  /** FilterPolicy, FilterPolicyScope, RawMessageDelivery, RedrivePolicy… as SNS spells them. */
  attributes: Record<string, string>;
  at: string;
}

export interface Declarations {
  queues: QueueDecl[];
  topics: TopicDecl[];
  subscriptions: SubscriptionDecl[];
  functions: FunctionSpec[];
  mappings: MappingSpec[];
  /** Things declared but not applied (e.g. unsupported template resources). */
  warnings: string[];
}

export const emptyDeclarations = (): Declarations => ({ queues: [], topics: [], subscriptions: [], functions: [], mappings: [], warnings: [] });

/** Where queues and topics live: ARNs in a file are built with these. */
export interface Scope {
  accountId: string;
  region: string;
}

export class DeclarationError extends Error {}

export type Path = (string | number)[];

export const pathText = (p: Path) => p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i ? `.${k}` : k)).join('');

/** A parsed YAML/JSON file that can say where a path is. */
export class SourceFile {
  readonly data: unknown;
  private readonly doc: Document;
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    text: string,
    customTags?: Tags,
  ) {
    const options: ParseOptions & { customTags?: Tags } = { lineCounter: this.lines, customTags, uniqueKeys: true };
    this.doc = parseDocument(text, options);
    const bad = this.doc.errors[0];
    if (bad) {
      const { line, col } = this.lines.linePos(bad.pos[0]);
      throw new DeclarationError(`${file}:${line}:${col}: ${bad.message.split('\n')[0]}`);
    }
    this.data = this.doc.toJS({ maxAliasCount: 1000 });
  }

  /** file:line:col of the value at `path` (or of its key), or just the file. */
  where(path: Path, atKey = false): string {
    // The nearest node that exists: an evaluated intrinsic's path runs past the YAML it came from.
    let node: { range?: [number, number, number] } | undefined;
    for (let n = path.length; n > 0 && !node?.range; n--) node = this.doc.getIn(path.slice(0, n), true) as typeof node;
    if (atKey && path.length) {
      const parent = this.doc.getIn(path.slice(0, -1), true) as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | undefined;
      node = parent?.items?.find((p) => p.key?.value === path[path.length - 1])?.key ?? node;
    }
    if (!node?.range) return this.file;
    const { line, col } = this.lines.linePos(node.range[0]);
    return `${this.file}:${line}:${col}`;
  }
}

export type Fail = (path: Path, message: string, atKey?: boolean) => never;

export function failIn(src: SourceFile | undefined, label: string): Fail {
  return (path, message, atKey) => {
    throw new DeclarationError(`${src ? src.where(path, atKey) : label}: ${pathText(path) || '(top level)'}: ${message}`);
  };
}

/** Typed reads of untrusted values, each failing with the path it was read from. */
export class Check {
  constructor(readonly fail: Fail) {}

  object(path: Path, v: unknown): Record<string, unknown> {
    if (v === null || v === undefined) return {};
    if (typeof v !== 'object' || Array.isArray(v)) this.fail(path, `must be a mapping, got ${JSON.stringify(v)}`);
    return v as Record<string, unknown>;
  }

  list(path: Path, v: unknown): unknown[] {
    if (v === null || v === undefined) return [];
    if (!Array.isArray(v)) this.fail(path, `must be a list, got ${JSON.stringify(v)}`);
    return v;
  }

  onlyKeys(path: Path, obj: Record<string, unknown>, allowed: readonly string[]): void {
    for (const k of Object.keys(obj)) {
      if (allowed.includes(k)) continue;
      const near = allowed.find((a) => a.toLowerCase() === k.toLowerCase());
      this.fail([...path, k], `unknown key${near ? ` (did you mean ${near}?)` : `; expected one of ${allowed.join(', ')}`}`, true);
    }
  }

  string(path: Path, v: unknown): string {
    if (typeof v !== 'string' || v === '') this.fail(path, `must be a non-empty string, got ${JSON.stringify(v)}`);
    return v;
  }

  int(path: Path, v: unknown, lo: number, hi: number): number {
    const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < lo || n > hi) this.fail(path, `must be an integer from ${lo} to ${hi}, got ${JSON.stringify(v)}`);
    return n;
  }

  bool(path: Path, v: unknown): boolean {
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    return this.fail(path, `must be true or false, got ${JSON.stringify(v)}`);
  }

  /** A mapping of scalars, rendered as the strings the wire carries (objects become JSON). */
  stringMap(path: Path, v: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(this.object(path, v))) {
      if (x === null || x === undefined) this.fail([...path, k], 'must have a value');
      out[k] = typeof x === 'object' ? JSON.stringify(x) : String(x);
    }
    return out;
  }
}

export const sqsArn = (s: Scope, name: string) => `arn:aws:sqs:${s.region}:${s.accountId}:${name}`;
export const snsArn = (s: Scope, name: string) => `arn:aws:sns:${s.region}:${s.accountId}:${name}`;

/**
 * Stands for the server's endpoint in values built before it listens (a queue URL from !Ref in a
 * function's environment); replaced once the endpoint is known.
 */
export const ENDPOINT_TOKEN = '${PIER_ENDPOINT}';
export const withEndpoint = (value: string, endpoint: string) => value.split(ENDPOINT_TOKEN).join(endpoint);

// Ranges AWS enforces on functions and SQS event source mappings (Lambda API
// CreateEventSourceMapping / CreateFunction; shared/spec §9.2). Each problem names the setting it
// is about, so config loaders can point at the key in the user's file.
import type { FunctionSpec, MappingSpec } from './types.js';

export interface Problem {
  /** The MappingSpec / FunctionSpec member at fault. */
  field: string;
  message: string;
}

const intIn = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;

/** `fifo` undefined: the queue's type is not known yet (checked again when the mapping starts). */
export function mappingProblems(m: MappingSpec, fifo?: boolean): Problem[] {
  const out: Problem[] = [];
  const maxBatch = fifo ? 10 : 10_000;
  if (!intIn(m.batchSize, 1, maxBatch)) out.push({ field: 'batchSize', message: `must be an integer from 1 to ${maxBatch}${fifo ? ' for a FIFO queue' : ''}, got ${m.batchSize}` });
  if (!intIn(m.maximumBatchingWindowSeconds, 0, 300)) {
    out.push({ field: 'maximumBatchingWindowSeconds', message: `must be an integer from 0 to 300, got ${m.maximumBatchingWindowSeconds}` });
  } else if (fifo && m.maximumBatchingWindowSeconds > 0) {
    out.push({ field: 'maximumBatchingWindowSeconds', message: 'is not supported for FIFO queues' });
  } else if (!fifo && m.batchSize > 10 && m.maximumBatchingWindowSeconds < 1) {
    out.push({ field: 'maximumBatchingWindowSeconds', message: `must be at least 1 when batchSize is more than 10 (batchSize ${m.batchSize})` });
  }
  // AWS's minimum is 2; Pier also accepts 1 (strictly one batch at a time) outside SAM templates.
  if (m.maximumConcurrency !== undefined && !intIn(m.maximumConcurrency, 1, 1000)) {
    out.push({ field: 'maximumConcurrency', message: `must be an integer from 1 to 1000, got ${m.maximumConcurrency}` });
  }
  if (!/^arn:aws[\w-]*:sqs:[\w-]+:\d{12}:[\w-]+(\.fifo)?$/.test(m.queueArn)) out.push({ field: 'queueArn', message: `is not an SQS queue ARN: ${m.queueArn}` });
  for (const [i, p] of (m.filterPatterns ?? []).entries()) {
    try {
      const v = JSON.parse(p) as unknown;
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    } catch {
      out.push({ field: `filterPatterns[${i}]`, message: `is not a JSON object pattern: ${p}` });
    }
  }
  return out;
}

export function functionProblems(f: FunctionSpec): Problem[] {
  const out: Problem[] = [];
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(f.name)) out.push({ field: 'name', message: `must be 1–64 letters, digits, - or _, got ${f.name}` });
  if (!intIn(f.timeoutSeconds, 1, 900)) out.push({ field: 'timeoutSeconds', message: `must be an integer from 1 to 900, got ${f.timeoutSeconds}` });
  if (f.reservedConcurrency !== undefined && !intIn(f.reservedConcurrency, 0, 1000)) {
    out.push({ field: 'reservedConcurrency', message: `must be an integer from 0 to 1000, got ${f.reservedConcurrency}` });
  }
  if (f.kind === 'module') {
    if (!intIn(f.memoryMb, 128, 10_240)) out.push({ field: 'memoryMb', message: `must be an integer from 128 to 10240, got ${f.memoryMb}` });
    const base = f.handler.slice(f.handler.lastIndexOf('/') + 1);
    if (base.indexOf('.') <= 0 || base.endsWith('.')) out.push({ field: 'handler', message: `must look like file.export, got ${f.handler}` });
    if (f.runtime !== undefined && !/^nodejs/.test(f.runtime)) out.push({ field: 'runtime', message: `only Node.js runtimes can run here, got ${f.runtime}` });
  } else if (!/^https?:\/\//.test(f.url)) {
    out.push({ field: 'url', message: `must be an http:// or https:// URL, got ${f.url}` });
  }
  return out;
}

/** Parses arn:aws:sqs:REGION:ACCOUNT:NAME. */
export function parseSqsArn(arn: string): { region: string; accountId: string; name: string } | undefined {
  const m = /^arn:aws[\w-]*:sqs:([\w-]+):(\d{12}):([\w.-]+)$/.exec(arn);
  return m ? { region: m[1]!, accountId: m[2]!, name: m[3]! } : undefined;
}

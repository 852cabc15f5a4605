// Partial batch responses read with Lambda's rules (shared/spec §9.3; Lambda DG "Handling errors
// for an SQS event source"), FIFO group blocking, and the mapping/function ranges AWS enforces.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { blockGroupsAfterFailure, readBatchResponse } from '../../src/functions/batch-response.js';
import { functionProblems, mappingProblems } from '../../src/functions/mapping-rules.js';
import type { MappingSpec } from '../../src/functions/types.js';

const ids = new Set(['a', 'b', 'c']);

describe('readBatchResponse', () => {
  const cases: { name: string; payload: string | undefined; want: 'success' | 'failure' | string[] }[] = [
    { name: 'no result (undefined)', payload: undefined, want: 'success' },
    { name: 'empty text', payload: '', want: 'success' },
    { name: 'null', payload: 'null', want: 'success' },
    { name: 'empty object', payload: '{}', want: 'success' },
    { name: 'batchItemFailures null', payload: '{"batchItemFailures":null}', want: 'success' },
    { name: 'batchItemFailures empty', payload: '{"batchItemFailures":[]}', want: 'success' },
    { name: 'a plain string result', payload: '"done"', want: 'success' },
    { name: 'two ids', payload: '{"batchItemFailures":[{"itemIdentifier":"a"},{"itemIdentifier":"c"}]}', want: ['a', 'c'] },
    { name: 'invalid JSON', payload: '{"batchItemFailures":[', want: 'failure' },
    { name: 'empty itemIdentifier', payload: '{"batchItemFailures":[{"itemIdentifier":""}]}', want: 'failure' },
    { name: 'null itemIdentifier', payload: '{"batchItemFailures":[{"itemIdentifier":null}]}', want: 'failure' },
    { name: 'misnamed key', payload: '{"batchItemFailures":[{"itemIdentifer":"a"}]}', want: 'failure' },
    { name: 'id not in the batch', payload: '{"batchItemFailures":[{"itemIdentifier":"zzz"}]}', want: 'failure' },
    { name: 'list is not a list', payload: '{"batchItemFailures":"a"}', want: 'failure' },
    { name: 'entry not an object', payload: '{"batchItemFailures":["a"]}', want: 'failure' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const v = readBatchResponse(c.payload, ids);
      if (Array.isArray(c.want)) {
        assert.equal(v.kind, 'partial');
        assert.deepEqual([...(v as { failedIds: Set<string> }).failedIds].sort(), c.want);
      } else assert.equal(v.kind, c.want);
    });
  }
});

test('FIFO: records of a group after its first failure are kept too; other groups are not', () => {
  const records = [
    { messageId: 'a1', groupId: 'A' },
    { messageId: 'b1', groupId: 'B' },
    { messageId: 'a2', groupId: 'A' },
    { messageId: 'b2', groupId: 'B' },
    { messageId: 'a3', groupId: 'A' },
  ];
  assert.deepEqual([...blockGroupsAfterFailure(records, new Set(['a2']))].sort(), ['a2', 'a3']);
  assert.deepEqual([...blockGroupsAfterFailure(records, new Set(['b1']))].sort(), ['b1', 'b2']);
  assert.deepEqual([...blockGroupsAfterFailure(records, new Set())], []);
});

describe('mapping and function ranges', () => {
  const base: MappingSpec = { functionName: 'f', queueArn: 'arn:aws:sqs:us-east-1:000000000000:q', batchSize: 10, maximumBatchingWindowSeconds: 0, reportBatchItemFailures: false, enabled: true };
  const fields = (m: Partial<MappingSpec>, fifo?: boolean) => mappingProblems({ ...base, ...m }, fifo).map((p) => p.field);
  test('valid defaults pass', () => assert.deepEqual(fields({}), []));
  test('batch size 10,000 on standard needs a window; 11 on FIFO is refused', () => {
    assert.deepEqual(fields({ batchSize: 10_000 }), ['maximumBatchingWindowSeconds']);
    assert.deepEqual(fields({ batchSize: 10_000, maximumBatchingWindowSeconds: 1 }), []);
    assert.deepEqual(fields({ batchSize: 10_001, maximumBatchingWindowSeconds: 1 }), ['batchSize']);
    assert.deepEqual(fields({ batchSize: 11 }, true), ['batchSize']);
    assert.deepEqual(fields({ batchSize: 0 }), ['batchSize']);
  });
  test('FIFO refuses a batching window', () => assert.deepEqual(fields({ maximumBatchingWindowSeconds: 5 }, true), ['maximumBatchingWindowSeconds']));
  test('window above 300, concurrency above 1000, bad ARN, bad filter', () => {
    assert.deepEqual(fields({ maximumBatchingWindowSeconds: 301 }), ['maximumBatchingWindowSeconds']);
    assert.deepEqual(fields({ maximumConcurrency: 1001 }), ['maximumConcurrency']);
    assert.deepEqual(fields({ queueArn: 'orders' }), ['queueArn']);
    assert.deepEqual(fields({ filterPatterns: ['[1]'] }), ['filterPatterns[0]']);
  });
  test('function timeout, memory, handler and runtime', () => {
    const f = { name: 'f', kind: 'module' as const, codeDir: '/x', handler: 'app.handler', timeoutSeconds: 3, memoryMb: 128, environment: {} };
    assert.deepEqual(functionProblems(f), []);
    assert.deepEqual(functionProblems({ ...f, timeoutSeconds: 901, memoryMb: 64, handler: 'app', runtime: 'python3.12' }).map((p) => p.field), ['timeoutSeconds', 'memoryMb', 'handler', 'runtime']);
    assert.deepEqual(functionProblems({ ...f, handler: 'src/app.handler' }), []);
    assert.deepEqual(functionProblems({ name: 'u', kind: 'url', url: 'ftp://x', timeoutSeconds: 3 }).map((p) => p.field), ['url']);
  });
});

// Reads a handler's partial batch response ({ batchItemFailures: [{ itemIdentifier }] }) with
// Lambda's rules (Lambda DG "Handling errors for an SQS event source", partial batch responses;
// shared/spec §9.3): complete success when the response, or its list, is null or empty; complete
// failure when the JSON is invalid or any entry's itemIdentifier is empty, null, misnamed or not
// a messageId of the batch. Only consulted when ReportBatchItemFailures is enabled.

export type BatchVerdict =
  | { kind: 'success' }
  /** Nothing is deleted; `reason` says why the response was rejected (logged). */
  | { kind: 'failure'; reason: string }
  /** Exactly these messageIds stay; the rest of the batch is deleted. */
  | { kind: 'partial'; failedIds: Set<string> };

export function readBatchResponse(payload: string | undefined, batchIds: ReadonlySet<string>): BatchVerdict {
  if (payload === undefined || payload.trim() === '') return { kind: 'success' };
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { kind: 'failure', reason: 'the function response is not valid JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { kind: 'success' };
  const list = (value as Record<string, unknown>).batchItemFailures;
  if (list === undefined || list === null) return { kind: 'success' };
  if (!Array.isArray(list)) return { kind: 'failure', reason: 'batchItemFailures is not a list' };
  if (list.length === 0) return { kind: 'success' };
  const failedIds = new Set<string>();
  for (const entry of list) {
    const id = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '') return { kind: 'failure', reason: `invalid batchItemFailures entry ${JSON.stringify(entry)}` };
    if (!batchIds.has(id)) return { kind: 'failure', reason: `itemIdentifier ${id} is not a messageId of this batch` };
    failedIds.add(id);
  }
  return { kind: 'partial', failedIds };
}

/**
 * FIFO: a failed message blocks the rest of its group. Records of a group after its first failure
 * are kept too, so deleting them cannot let them overtake the failed one (Lambda DG asks handlers
 * to report them; Pier enforces it).
 */
export function blockGroupsAfterFailure(records: { messageId: string; groupId?: string }[], failedIds: Set<string>): Set<string> {
  const blocked = new Set<string>();
  const out = new Set(failedIds);
  for (const r of records) {
    if (r.groupId === undefined) continue;
    if (blocked.has(r.groupId)) out.add(r.messageId);
    else if (failedIds.has(r.messageId)) blocked.add(r.groupId);
  }
  return out;
}
